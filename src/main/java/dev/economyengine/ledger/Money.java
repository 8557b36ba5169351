package dev.economyengine.ledger;

/** Limits on amounts and balances. Money is a {@code long} of whole coins, never floating point. */
public final class Money {
    /** No user balance may ever exceed this many coins. */
    public static final long MAX_BALANCE = 1_000_000_000L;
    /** The largest amount a single earn or spend may move. */
    public static final long MAX_AMOUNT = 1_000_000_000L;

    private Money() {}

    /**
     * Whether an earn or a spend may move this many coins.
     *
     * @param amount coins
     * @return true from 1 to {@link #MAX_AMOUNT}
     */
    public static boolean isValidAmount(long amount) {
        return amount >= 1 && amount <= MAX_AMOUNT;
    }

    /**
     * Checks an amount.
     *
     * @param amount coins
     * @return the amount, when it is valid
     * @throws IllegalArgumentException unless it is from 1 to {@link #MAX_AMOUNT}
     */
    public static long requireValidAmount(long amount) {
        if (!isValidAmount(amount)) {
            throw new IllegalArgumentException(
                    "amount must be a whole number from 1 to " + MAX_AMOUNT + ", was " + amount);
        }
        return amount;
    }
}
