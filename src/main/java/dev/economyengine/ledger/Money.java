package dev.economyengine.ledger;

/**
 * Limits on amounts and balances. Money is a {@code long} of whole units of a currency, never floating
 * point. Each currency has a cap of its own, at most {@link #MAX_CAP}.
 */
public final class Money {
    /**
     * The cap of {@code coins} in an economy file of the first format, the one currency it has; and the
     * bounds of the embedded ledger's default economy.
     */
    public static final long MAX_BALANCE = 1_000_000_000L;
    /** The largest amount an earn or spend of {@code coins} may move under the first format's rules. */
    public static final long MAX_AMOUNT = 1_000_000_000L;
    /**
     * The largest cap a currency may have, 10^15: every amount and balance then stays exact in a
     * JavaScript client's doubles (exact up to 2^53, about 9 x 10^15).
     */
    public static final long MAX_CAP = 1_000_000_000_000_000L;

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

    /**
     * Checks an amount that some currency could move; its own cap is checked where the currency is known.
     *
     * @param amount an amount of a currency
     * @return the amount, when it is valid
     * @throws IllegalArgumentException unless it is from 1 to {@link #MAX_CAP}
     */
    public static long requireValidAmountOfAnyCurrency(long amount) {
        if (amount < 1 || amount > MAX_CAP) {
            throw new IllegalArgumentException("amount must be a whole number from 1 to " + MAX_CAP + ", was " + amount);
        }
        return amount;
    }
}
