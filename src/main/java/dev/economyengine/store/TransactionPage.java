package dev.economyengine.store;

import dev.economyengine.ledger.Transaction;
import java.util.List;

/**
 * One page of a user's history, newest first. {@code nextCursor} is null on the last page; passing it
 * back gives the next, older page, unaffected by transactions committed in between.
 *
 * @param userId the user whose history it is
 * @param transactions the page's transactions, newest first; empty for a user with no history
 * @param nextCursor an opaque cursor to the next, older page, valid for this user only; null on the last page
 */
public record TransactionPage(String userId, List<Transaction> transactions, String nextCursor) {
    /** Transactions per page when no limit is given: {@value}. */
    public static final int DEFAULT_LIMIT = 50;
    /** The most transactions a page may hold: {@value}. */
    public static final int MAX_LIMIT = 500;

    /**
     * A page; the list is copied.
     *
     * @param userId the user
     * @param transactions the page's transactions, newest first
     * @param nextCursor the cursor to the next page, or null on the last
     */
    public TransactionPage {
        transactions = List.copyOf(transactions);
    }
}
