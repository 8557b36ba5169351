package dev.economyengine.ledger;

import java.util.Objects;

/** At most {@code count} accepted earns of an action by one user in the window. */
public record CountLimit(long count, Window window) implements Limit {
    /** A bound far above any use, so that counts never come near overflowing. */
    public static final long MAX_COUNT = 1_000_000_000L;

    public CountLimit {
        Objects.requireNonNull(window, "window");
        if (count < 1 || count > MAX_COUNT) {
            throw new IllegalArgumentException("count must be a whole number from 1 to " + MAX_COUNT + ", was " + count);
        }
    }

    @Override
    public long max() {
        return count;
    }

    @Override
    public String describe(String action) {
        return action + ": " + count + " " + window.describe();
    }
}
