package dev.economyengine.store;

import dev.economyengine.ledger.Transaction;
import java.util.List;

/**
 * One page of a user's history, newest first. {@code nextCursor} is null on the last page; passing it
 * back gives the next, older page, unaffected by transactions committed in between.
 */
public record TransactionPage(String userId, List<Transaction> transactions, String nextCursor) {
    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;

    public TransactionPage {
        transactions = List.copyOf(transactions);
    }
}
