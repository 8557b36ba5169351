package dev.economyengine.store;

import dev.economyengine.ledger.BalanceCapExceededException;
import dev.economyengine.ledger.Currency;
import dev.economyengine.ledger.Economy;
import dev.economyengine.ledger.InsufficientBalanceException;
import dev.economyengine.ledger.LedgerException;
import dev.economyengine.ledger.Money;
import dev.economyengine.ledger.Outcome;
import dev.economyengine.ledger.Request;
import dev.economyengine.ledger.Result;
import dev.economyengine.ledger.ResultCode;
import dev.economyengine.ledger.Transaction;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The double-entry ledger as a library, for a Java game server that wants it without Kafka: users'
 * balances of whole coins, changed only by {@linkplain #earn earns} and {@linkplain #spend spends},
 * each recorded as an immutable {@link Transaction} of two {@link dev.economyengine.ledger.Entry entries}
 * between the user's account and the reserve.
 *
 * <pre>{@code
 * try (Ledger ledger = Ledger.open(Path.of("coins.db"))) {
 *     ledger.earn("alice", 100, "daily_login");
 *     ledger.spend("alice", 30, "sku:sword");   // throws InsufficientBalanceException if short
 *     long balance = ledger.balance("alice");   // 70
 *     TransactionPage page = ledger.transactions("alice", 50, null);   // newest first
 * }
 * }</pre>
 *
 * <p><b>Currencies.</b> The ledger runs one {@link Economy}: by default {@code coins} alone, capped at
 * {@link #MAX_BALANCE}. Opened with {@code StoreOptions.defaults().withEconomy(economy)}, it holds that
 * economy's currencies, each with its own cap and balances and its own reserve, and the methods that
 * name no currency move the economy's default currency:
 *
 * <pre>{@code
 * try (Ledger ledger = Ledger.open(Path.of("economy.db"), StoreOptions.defaults().withEconomy(economy))) {
 *     ledger.earn("alice", "gems", 5, "chest");
 *     ledger.spend("alice", "gems", 2, "sku:skin");
 *     Map<String, Long> balances = ledger.balances("alice");   // {coins=0, gems=3}
 * }
 * }</pre>
 *
 * <p><b>Rules.</b> A balance is never below 0 nor above its currency's cap: a spend of more than the
 * balance throws {@link InsufficientBalanceException}, an earn past the cap
 * {@link BalanceCapExceededException}, and neither changes anything. User ids are 1 to 128 characters;
 * amounts are from 1 to the currency's cap; anything else throws {@link IllegalArgumentException}
 * before anything is written. Amounts are what the caller says: the Kafka worker's earning rules do not
 * apply here.
 *
 * <p><b>Not idempotent.</b> Every call is a new request with an id of its own: calling {@code earn} again
 * after a timeout or a crash credits the user again. A caller that needs retries to be safe should use the
 * Kafka worker, whose requests carry the caller's own request ids.
 *
 * <p><b>Concurrency.</b> A ledger is safe for use by many threads. Each earn or spend is one SQLite
 * transaction, and writers are serialised, so two spends can never both draw on the same coins; reads
 * run beside the writes and never see half of one. Open one {@code Ledger} per file, in one process:
 * its balance cache assumes that it makes every write to the file.
 *
 * <p><b>Durability.</b> The file is in SQLite's WAL mode with {@code synchronous=NORMAL}: a call that
 * has returned survives a crash of the process; a loss of power may lose the last calls, never
 * corrupt the file. The schema refuses to update or delete transactions and entries.
 *
 * <p><b>Failures.</b> A refused earn or spend throws a {@link LedgerException} that says why
 * ({@link LedgerException#code()}). A failure of the database itself (a full disk, a file that is not a
 * ledger) throws {@link StoreException}.
 */
public final class Ledger implements AutoCloseable {
    /** The most coins a balance can hold: 1,000,000,000. */
    public static final long MAX_BALANCE = Money.MAX_BALANCE;

    private final ShardStore store;

    private Ledger(ShardStore store) {
        this.store = store;
    }

    /**
     * Opens the ledger in a file, creating the file and its parent directories if they do not exist, with
     * the {@linkplain StoreOptions#defaults() default options}. SQLite keeps {@code -wal} and {@code -shm}
     * files beside it while it is open.
     *
     * @param file the ledger's SQLite file
     * @return the open ledger; close it when done
     * @throws StoreException if the file cannot be opened or created, or is not a ledger
     */
    public static Ledger open(Path file) {
        return open(file, StoreOptions.defaults());
    }

    /**
     * Opens the ledger in a file, as {@link #open(Path)} does, with options of the caller's.
     *
     * @param file the ledger's SQLite file
     * @param options the clock that stamps transactions, how long a balance stays cached, and the economy
     * @return the open ledger; close it when done
     * @throws StoreException if the file cannot be opened or created, or is not a ledger
     */
    public static Ledger open(Path file, StoreOptions options) {
        return new Ledger(ShardStore.open(file, 0, options));
    }

    /**
     * A ledger in memory only, gone when closed: for tests and tools. Each call makes a new, empty one.
     *
     * @return the open ledger
     */
    public static Ledger inMemory() {
        return new Ledger(ShardStore.inMemory(0, StoreOptions.defaults()));
    }

    /**
     * Credits the default currency to the user, from its reserve.
     *
     * @param userId the user, 1 to 128 characters; a user with no history starts at 0
     * @param amount the amount to credit, from 1 to the currency's cap
     * @param reason why, kept with the transaction (for example {@code "daily_login"}); may be null
     * @return the committed transaction: a debit of the reserve and a credit of the user
     * @throws BalanceCapExceededException if the balance would exceed the cap; nothing is written
     * @throws IllegalArgumentException if the user id or the amount is out of range
     * @throws StoreException if the database fails
     */
    public Transaction earn(String userId, long amount, String reason) {
        return earn(userId, store.economy().defaultCurrency(), amount, reason);
    }

    /**
     * Credits a currency to the user, from the currency's reserve.
     *
     * @param userId the user, 1 to 128 characters; a user with no history starts at 0
     * @param currency a currency of the economy, such as {@code "gems"}
     * @param amount the amount to credit, from 1 to the currency's cap
     * @param reason why, kept with the transaction; may be null
     * @return the committed transaction: a debit of the reserve and a credit of the user, in the currency
     * @throws BalanceCapExceededException if the balance would exceed the currency's cap; nothing is written
     * @throws LedgerException with {@link ResultCode#LIMIT_REACHED} if the earn would pass an earn limit of the
     *     currency, judged at the time of the call; with {@link ResultCode#UNKNOWN_CURRENCY} if the economy
     *     has no such currency
     * @throws IllegalArgumentException if the user id or the amount is out of range
     * @throws StoreException if the database fails
     */
    public Transaction earn(String userId, String currency, long amount, String reason) {
        return apply(new Request.Earn(newRequestId(), userId, currency, validAmount(currency, amount), null, reason,
                null, null));
    }

    /**
     * Debits the default currency from the user, back to its reserve.
     *
     * @param userId the user, 1 to 128 characters
     * @param amount the amount to debit, from 1 to the currency's cap
     * @param reason why, kept with the transaction (for example {@code "sku:sword"}); may be null
     * @return the committed transaction: a debit of the user and a credit of the reserve
     * @throws InsufficientBalanceException if the balance is less than the amount; nothing is written
     * @throws IllegalArgumentException if the user id or the amount is out of range
     * @throws StoreException if the database fails
     */
    public Transaction spend(String userId, long amount, String reason) {
        return spend(userId, store.economy().defaultCurrency(), amount, reason);
    }

    /**
     * Debits a currency from the user, back to the currency's reserve.
     *
     * @param userId the user, 1 to 128 characters
     * @param currency a currency of the economy
     * @param amount the amount to debit, from 1 to the currency's cap
     * @param reason why, kept with the transaction; may be null
     * @return the committed transaction: a debit of the user and a credit of the reserve, in the currency
     * @throws InsufficientBalanceException if the balance in the currency is less than the amount; nothing
     *     is written
     * @throws LedgerException with {@link ResultCode#UNKNOWN_CURRENCY} if the economy has no such currency
     * @throws IllegalArgumentException if the user id or the amount is out of range
     * @throws StoreException if the database fails
     */
    public Transaction spend(String userId, String currency, long amount, String reason) {
        return apply(new Request.Spend(newRequestId(), userId, currency, validAmount(currency, amount), reason, null));
    }

    /**
     * The user's balance in the default currency, including every earn and spend that has returned.
     *
     * @param userId the user
     * @return the balance; 0 for a user with no history
     * @throws StoreException if the database fails
     */
    public long balance(String userId) {
        return store.balance(userId).balance();
    }

    /**
     * The user's balance in a currency.
     *
     * @param userId the user
     * @param currency the currency
     * @return the balance; 0 if the user never held the currency
     * @throws StoreException if the database fails
     */
    public long balance(String userId, String currency) {
        return store.balances(userId).balance(currency);
    }

    /**
     * Every balance of the user.
     *
     * @param userId the user
     * @return the balances by currency code, sorted: every currency of the economy (0 when the user has
     *     none of it), and any other the user holds
     * @throws StoreException if the database fails
     */
    public Map<String, Long> balances(String userId) {
        Map<String, Long> balances = new TreeMap<>();
        store.economy().currencies().forEach(currency -> balances.put(currency.code(), 0L));
        balances.putAll(store.balances(userId).balances());
        return Collections.unmodifiableMap(balances);
    }

    /**
     * The economy the ledger runs.
     *
     * @return its currencies, caps, earn limits and default currency
     */
    public Economy economy() {
        return store.economy();
    }

    /**
     * The user's newest {@value TransactionPage#DEFAULT_LIMIT} transactions, newest first.
     *
     * @param userId the user
     * @return the first page of the user's history; empty for a user with no history
     * @throws StoreException if the database fails
     */
    public TransactionPage transactions(String userId) {
        return transactions(userId, TransactionPage.DEFAULT_LIMIT, null);
    }

    /**
     * A page of the user's history, newest first. Pass each page's {@link TransactionPage#nextCursor()}
     * back to get the next, older page, until it is null: the pages neither repeat nor skip a transaction,
     * even while new ones are committed in between.
     *
     * @param userId the user
     * @param limit the most transactions on the page, from 1 to {@value TransactionPage#MAX_LIMIT}
     * @param cursor null for the newest page, or the {@code nextCursor} of a page of the same user
     * @return the page
     * @throws InvalidCursorException if the cursor is malformed or was issued for another user
     * @throws IllegalArgumentException if the limit is out of range
     * @throws StoreException if the database fails
     */
    public TransactionPage transactions(String userId, int limit, String cursor) {
        return store.transactions(userId, limit, cursor);
    }

    /**
     * Closes the file. Calls that have returned are in it; the ledger cannot be used afterwards.
     *
     * @throws StoreException if the database fails to close
     */
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

    private long validAmount(String currency, long amount) {
        Currency known = store.economy().currency(currency).orElseThrow(() -> new LedgerException(
                ResultCode.UNKNOWN_CURRENCY, "no currency '" + currency + "' in the economy"));
        if (!known.isValidAmount(amount)) {
            throw new IllegalArgumentException("amount must be a whole number from 1 to " + known.cap() + " "
                    + currency + ", was " + amount);
        }
        return amount;
    }

    private static String newRequestId() {
        return UUID.randomUUID().toString();
    }
}
