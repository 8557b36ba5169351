package dev.economyengine.ledger;

/**
 * A ceiling on what a user may earn in a {@link Window}: a number of earns of one action
 * ({@link CountLimit}) or an amount of one currency ({@link AmountLimit}). An earn passes only if what
 * was accepted in the window, plus this earn (1 earn, or its amount), stays within {@link #max()}.
 */
public sealed interface Limit permits CountLimit, AmountLimit {
    /** The most earns, or units of the currency, the window may hold. */
    long max();

    Window window();

    /** The limit in words, for a message: "daily_login: 1 per calendar day", "gems: 500 earned ever". */
    String describe(String subject);
}
