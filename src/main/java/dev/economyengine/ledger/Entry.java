package dev.economyengine.ledger;

import java.util.Objects;

/**
 * One line of a double-entry transaction: exactly one of debit and credit is positive.
 *
 * @param account the account the line moves coins from or to: {@link Accounts#RESERVE} or a user's,
 *     {@code "user:<userId>"}
 * @param debit coins taken from the account, or 0
 * @param credit coins given to the account, or 0
 */
public record Entry(String account, long debit, long credit) {
    /**
     * Checks the line.
     *
     * @param account the account
     * @param debit coins taken from it, or 0
     * @param credit coins given to it, or 0
     * @throws IllegalArgumentException unless exactly one of debit and credit is positive and neither is
     *     negative
     */
    public Entry {
        Objects.requireNonNull(account, "account");
        if (debit < 0 || credit < 0 || (debit == 0) == (credit == 0)) {
            throw new IllegalArgumentException(
                    "an entry has exactly one positive side, was debit=" + debit + " credit=" + credit);
        }
    }

    /**
     * A debit line.
     *
     * @param account the account debited
     * @param amount the coins taken from it, positive
     * @return the line
     */
    public static Entry debit(String account, long amount) {
        return new Entry(account, amount, 0);
    }

    /**
     * A credit line.
     *
     * @param account the account credited
     * @param amount the coins given to it, positive
     * @return the line
     */
    public static Entry credit(String account, long amount) {
        return new Entry(account, 0, amount);
    }
}
