package dev.economyengine.ledger;

import java.util.Objects;

/** One line of a double-entry transaction: exactly one of debit and credit is positive. */
public record Entry(String account, long debit, long credit) {
    public Entry {
        Objects.requireNonNull(account, "account");
        if (debit < 0 || credit < 0 || (debit == 0) == (credit == 0)) {
            throw new IllegalArgumentException(
                    "an entry has exactly one positive side, was debit=" + debit + " credit=" + credit);
        }
    }

    public static Entry debit(String account, long amount) {
        return new Entry(account, amount, 0);
    }

    public static Entry credit(String account, long amount) {
        return new Entry(account, 0, amount);
    }
}
