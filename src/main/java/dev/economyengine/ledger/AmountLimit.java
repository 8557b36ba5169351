package dev.economyengine.ledger;

import java.util.Objects;

/** At most {@code amount} of a currency credited to one user by earns in the window; spends do not count. */
public record AmountLimit(long amount, Window window) implements Limit {
    public AmountLimit {
        Objects.requireNonNull(window, "window");
        if (amount < 1 || amount > Money.MAX_CAP) {
            throw new IllegalArgumentException("amount must be a whole number from 1 to " + Money.MAX_CAP
                    + ", was " + amount);
        }
    }

    @Override
    public long max() {
        return amount;
    }

    @Override
    public String describe(String currency) {
        return currency + ": " + amount + " earned " + window.describe();
    }
}
