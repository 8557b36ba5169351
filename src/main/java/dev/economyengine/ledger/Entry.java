package dev.economyengine.ledger;

import java.util.Objects;

/**
 * One line of a double-entry transaction, in one currency: exactly one of debit and credit is positive.
 * An account holds one currency: a user has an account per currency, and so does the reserve.
 *
 * @param account the account the line moves money from or to: {@link Accounts#RESERVE} or a user's,
 *     {@code "user:<userId>"}
 * @param currency the currency of the account, such as {@code coins}
 * @param debit the amount taken from the account, or 0
 * @param credit the amount given to the account, or 0
 */
public record Entry(String account, String currency, long debit, long credit) {
    /**
     * Checks the line.
     *
     * @param account the account
     * @param currency the account's currency
     * @param debit the amount taken from it, or 0
     * @param credit the amount given to it, or 0
     * @throws IllegalArgumentException unless exactly one of debit and credit is positive and neither is
     *     negative
     * @throws NullPointerException if the account or the currency is null
     */
    public Entry {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(currency, "currency");
        if (debit < 0 || credit < 0 || (debit == 0) == (credit == 0)) {
            throw new IllegalArgumentException(
                    "an entry has exactly one positive side, was debit=" + debit + " credit=" + credit);
        }
    }

    /**
     * A debit line.
     *
     * @param account the account debited
     * @param currency the account's currency
     * @param amount the amount taken from it, positive
     * @return the line
     */
    public static Entry debit(String account, String currency, long amount) {
        return new Entry(account, currency, amount, 0);
    }

    /**
     * A credit line.
     *
     * @param account the account credited
     * @param currency the account's currency
     * @param amount the amount given to it, positive
     * @return the line
     */
    public static Entry credit(String account, String currency, long amount) {
        return new Entry(account, currency, 0, amount);
    }
}
