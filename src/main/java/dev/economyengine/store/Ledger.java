package dev.economyengine.store;

import dev.economyengine.ledger.BalanceCapExceededException;
import dev.economyengine.ledger.InsufficientBalanceException;
import dev.economyengine.ledger.LedgerException;
import dev.economyengine.ledger.Money;
import dev.economyengine.ledger.Outcome;
import dev.economyengine.ledger.Request;
import dev.economyengine.ledger.Result;
import dev.economyengine.ledger.Transaction;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/**
 * The double-entry ledger as a library, for a Java game server that wants it without Kafka. Each call
 * is its own SQLite transaction; concurrent callers are serialised, so two spends can never both draw
 * on the same coins.
 *
 * <pre>{@code
 * try (Ledger ledger = Ledger.open(Path.of("coins.db"))) {
 *     ledger.earn("alice", 100, "daily_login");
 *     ledger.spend("alice", 30, "sku:sword");   // throws InsufficientBalanceException if short
 *     long balance = ledger.balance("alice");   // 70
 * }
 * }</pre>
 */
public final class Ledger implements AutoCloseable {
    public static final long MAX_BALANCE = Money.MAX_BALANCE;

    private final ShardStore store;

    private Ledger(ShardStore store) {
        this.store = store;
    }

    public static Ledger open(Path file) {
        return open(file, StoreOptions.defaults());
    }

    public static Ledger open(Path file, StoreOptions options) {
        return new Ledger(ShardStore.open(file, 0, options));
    }

    public static Ledger inMemory() {
        return new Ledger(ShardStore.inMemory(0, StoreOptions.defaults()));
    }

    /** Credits the user; throws {@link BalanceCapExceededException} past {@link #MAX_BALANCE}. */
    public Transaction earn(String userId, long amount, String reason) {
        return apply(new Request.Earn(newRequestId(), userId, Money.requireValidAmount(amount), reason, null));
    }

    /** Debits the user; throws {@link InsufficientBalanceException} when the balance is short. */
    public Transaction spend(String userId, long amount, String reason) {
        return apply(new Request.Spend(newRequestId(), userId, Money.requireValidAmount(amount), reason, null));
    }

    public long balance(String userId) {
        return store.balance(userId).balance();
    }

    /** The newest {@value TransactionPage#DEFAULT_LIMIT} transactions of the user. */
    public TransactionPage transactions(String userId) {
        return transactions(userId, TransactionPage.DEFAULT_LIMIT, null);
    }

    /** A page of history, newest first; {@code cursor} is null or a previous page's {@code nextCursor}. */
    public TransactionPage transactions(String userId, int limit, String cursor) {
        return store.transactions(userId, limit, cursor);
    }

    @Override
    public void close() {
        store.close();
    }

    private Transaction apply(Request request) {
        Outcome outcome = store.apply(List.of(request)).get(0);
        Result result = outcome.result();
        return outcome.transaction().orElseThrow(() -> switch (result.code()) {
            case INSUFFICIENT_BALANCE -> new InsufficientBalanceException(result.message());
            case BALANCE_CAP_EXCEEDED -> new BalanceCapExceededException(result.message());
            default -> new LedgerException(result.code(), result.message());
        });
    }

    private static String newRequestId() {
        return UUID.randomUUID().toString();
    }
}
