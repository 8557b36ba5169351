package dev.economyengine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.economyengine.ledger.BalanceCapExceededException;
import dev.economyengine.ledger.Entry;
import dev.economyengine.ledger.InsufficientBalanceException;
import dev.economyengine.ledger.RequestType;
import dev.economyengine.ledger.ResultCode;
import dev.economyengine.ledger.Transaction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LedgerTest {

    @TempDir
    Path dir;

    private Path file;
    private Ledger ledger;

    @BeforeEach
    void openLedger() {
        file = dir.resolve("coins.db");
        ledger = Ledger.open(file);
    }

    @AfterEach
    void closeLedger() {
        if (ledger != null) {
            ledger.close();
        }
    }

    // --- earn and spend ---------------------------------------------------------------------------

    @Test
    void earn_creditsTheUserAndReturnsTheTransaction() {
        Transaction earn = ledger.earn("alice", 100, "daily_login");

        assertThat(ledger.balance("alice")).isEqualTo(100);
        assertThat(earn.userId()).isEqualTo("alice");
        assertThat(earn.type()).isEqualTo(RequestType.EARN);
        assertThat(earn.amount()).isEqualTo(100);
        assertThat(earn.reason()).isEqualTo("daily_login");
        assertThat(earn.entries()).containsExactlyInAnyOrder(
                new Entry("system:reserve", "coins", 100, 0), new Entry("user:alice", "coins", 0, 100));
    }

    @Test
    void balance_ofAUserWithNoHistory_isZero() {
        assertThat(ledger.balance("nobody")).isZero();
        assertThat(ledger.transactions("nobody").transactions()).isEmpty();
        assertThat(ledger.transactions("nobody").nextCursor()).isNull();
    }

    @Test
    void spend_withEnough_debitsTheUser() {
        ledger.earn("alice", 100, "daily_login");

        Transaction spend = ledger.spend("alice", 30, "sku:sword");

        assertThat(ledger.balance("alice")).isEqualTo(70);
        assertThat(spend.type()).isEqualTo(RequestType.SPEND);
        assertThat(spend.entries()).containsExactlyInAnyOrder(
                new Entry("user:alice", "coins", 30, 0), new Entry("system:reserve", "coins", 0, 30));
    }

    @Test
    void spend_ofExactlyTheBalance_leavesZero() {
        ledger.earn("alice", 100, "daily_login");

        ledger.spend("alice", 100, "sku:shield");

        assertThat(ledger.balance("alice")).isZero();
    }

    @Test
    void spend_moreThanBalance_throwsInsufficientBalanceAndLeavesBalanceAndHistory() {
        ledger.earn("alice", 100, "daily_login");

        assertThatThrownBy(() -> ledger.spend("alice", 101, "sku:castle"))
                .isInstanceOfSatisfying(InsufficientBalanceException.class,
                        e -> assertThat(e.code()).isEqualTo(ResultCode.INSUFFICIENT_BALANCE))
                .hasMessageContaining("100")
                .hasMessageContaining("101");
        assertThat(ledger.balance("alice")).isEqualTo(100);
        assertThat(ledger.transactions("alice").transactions()).hasSize(1);
    }

    @Test
    void spend_byAUserWithNothing_isRefusedAndTheBalanceNeverGoesNegative() {
        assertThatThrownBy(() -> ledger.spend("bob", 1, "sku:apple"))
                .isInstanceOf(InsufficientBalanceException.class);

        assertThat(ledger.balance("bob")).isZero();
        ledger.earn("bob", 5, "quest");
        ledger.spend("bob", 5, "sku:apple");
        assertThatThrownBy(() -> ledger.spend("bob", 1, "sku:apple"))
                .isInstanceOf(InsufficientBalanceException.class);
        assertThat(ledger.balance("bob")).isZero();
    }

    @Test
    void earn_reachingExactlyTheCap_isAccepted() {
        ledger.earn("alice", 999_999_999L, "jackpot");

        ledger.earn("alice", 1, "daily_login");

        assertThat(ledger.balance("alice")).isEqualTo(Ledger.MAX_BALANCE);
    }

    @Test
    void earn_pastTheCap_throwsBalanceCapExceededAndLeavesBalance() {
        ledger.earn("alice", 1_000_000_000L, "jackpot");

        assertThatThrownBy(() -> ledger.earn("alice", 1, "daily_login"))
                .isInstanceOfSatisfying(BalanceCapExceededException.class,
                        e -> assertThat(e.code()).isEqualTo(ResultCode.BALANCE_CAP_EXCEEDED));
        assertThat(ledger.balance("alice")).isEqualTo(1_000_000_000L);
        assertThat(ledger.transactions("alice").transactions()).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1, -100, 1_000_000_001L, Long.MAX_VALUE, Long.MIN_VALUE})
    void earnAndSpend_ofAnInvalidAmount_throwIllegalArgumentAndRecordNothing(long amount) {
        ledger.earn("alice", 50, "seed");

        assertThatThrownBy(() -> ledger.earn("alice", amount, "bad"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Long.toString(amount));
        assertThatThrownBy(() -> ledger.spend("alice", amount, "bad"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Long.toString(amount));
        assertThat(ledger.balance("alice")).isEqualTo(50);
        assertThat(ledger.transactions("alice").transactions()).hasSize(1);
    }

    @Test
    void earnAndSpend_forAnInvalidUserId_throwIllegalArgument() {
        assertThatThrownBy(() -> ledger.earn("", 1, "bad")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ledger.earn(null, 1, "bad")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ledger.spend("u".repeat(129), 1, "bad"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // --- concurrency ------------------------------------------------------------------------------

    @Test
    void concurrentSpends_neverDrawOnTheSameCoins() throws Exception {
        ledger.earn("alice", 100, "seed");

        List<String> outcomes = runConcurrently(50, () -> {
            try {
                ledger.spend("alice", 7, "sku:potion");
                return "spent";
            } catch (InsufficientBalanceException e) {
                return "short";
            }
        });

        assertThat(outcomes).filteredOn("spent"::equals).hasSize(14);
        assertThat(outcomes).filteredOn("short"::equals).hasSize(36);
        assertThat(ledger.balance("alice")).isEqualTo(2);
        assertThat(ledger.transactions("alice").transactions()).hasSize(15);
    }

    @Test
    void inMemory_concurrentSpends_neverDrawOnTheSameCoins() throws Exception {
        try (Ledger memory = Ledger.inMemory()) {
            memory.earn("alice", 100, "seed");

            List<String> outcomes = runConcurrently(50, () -> {
                try {
                    memory.spend("alice", 7, "sku:potion");
                    return "spent";
                } catch (InsufficientBalanceException e) {
                    return "short";
                }
            });

            assertThat(outcomes).filteredOn("spent"::equals).hasSize(14);
            assertThat(memory.balance("alice")).isEqualTo(2);
        }
    }

    /**
     * Regression: in memory the reader and the writer share one lock. A balance read that misses the
     * cache holds Caffeine's entry lock while waiting for that lock, and a committing writer holds that
     * lock while writing the new balance into the same cache entry: each waits for the other forever.
     */
    @Test
    void inMemory_balanceReadsWhileEarning_doNotDeadlock() throws Exception {
        Ledger memory = Ledger.inMemory();
        readBalancesWhileEarning(memory);
        memory.close();
    }

    @Test
    void balanceReadsWhileEarning_doNotDeadlock() throws Exception {
        readBalancesWhileEarning(ledger);
    }

    private static void readBalancesWhileEarning(Ledger target) throws Exception {
        int users = 1_000;
        AtomicInteger earningFor = new AtomicInteger(-1);
        AtomicBoolean earned = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(2, LedgerTest::daemon);
        CountDownLatch start = new CountDownLatch(1);
        Future<?> earning = pool.submit(() -> {
            start.await();
            try {
                for (int i = 0; i < users; i++) {
                    earningFor.set(i);
                    target.earn("user-" + i, 1, "quest");
                }
            } finally {
                earned.set(true);
            }
            return null;
        });
        // Reads, and so first loads, the balance of whichever user is being credited right now.
        Future<?> reading = pool.submit(() -> {
            start.await();
            while (!earned.get()) {
                int user = earningFor.get();
                if (user >= 0) {
                    assertThat(target.balance("user-" + user)).isBetween(0L, 1L);
                }
            }
            return null;
        });
        start.countDown();

        // On a deadlock the threads are stuck for good: the ledger is left open, as closing it would block too.
        await("earning and reading balances to finish").atMost(Duration.ofSeconds(20))
                .until(() -> earning.isDone() && reading.isDone());
        earning.get();
        reading.get();
        pool.shutdown();
        assertThat(target.balance("user-" + (users - 1))).isEqualTo(1);
    }

    // --- history ----------------------------------------------------------------------------------

    @Test
    void transactions_areNewestFirstAndEqualWhatEarnAndSpendReturned() {
        Transaction first = ledger.earn("alice", 10, "a");
        Transaction second = ledger.spend("alice", 3, "b");
        Transaction third = ledger.earn("alice", 20, "c");
        ledger.earn("bob", 99, "not alice's");

        assertThat(ledger.transactions("alice").transactions()).containsExactly(third, second, first);
    }

    @Test
    void transactions_byDefault_returnTheNewest50() {
        for (int amount = 1; amount <= 60; amount++) {
            ledger.earn("alice", amount, "quest");
        }

        TransactionPage page = ledger.transactions("alice");

        assertThat(page.transactions()).hasSize(TransactionPage.DEFAULT_LIMIT);
        assertThat(page.transactions()).extracting(Transaction::amount)
                .containsExactlyElementsOf(range(60, 11));
        assertThat(page.nextCursor()).isNotNull();
        TransactionPage rest = ledger.transactions("alice", 50, page.nextCursor());
        assertThat(rest.transactions()).extracting(Transaction::amount).containsExactlyElementsOf(range(10, 1));
        assertThat(rest.nextCursor()).isNull();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 5, 7, 23, 24, 500})
    void transactions_pagedWithNextCursor_coverEveryTransactionExactlyOnce(int limit) {
        List<String> written = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            written.add(0, ledger.earn("alice", 1 + i, "quest").transactionId());
        }

        List<TransactionPage> pages = allPages("alice", limit);

        List<String> read = pages.stream()
                .flatMap(page -> page.transactions().stream())
                .map(Transaction::transactionId)
                .toList();
        assertThat(read).containsExactlyElementsOf(written);
        assertThat(pages).hasSize((23 + limit - 1) / limit);
        assertThat(pages.get(pages.size() - 1).nextCursor()).isNull();
        assertThat(pages.subList(0, pages.size() - 1)).allSatisfy(page -> {
            assertThat(page.transactions()).hasSize(limit);
            assertThat(page.nextCursor()).isNotNull();
        });
    }

    @Test
    void transactions_whenNewOnesAreCommittedBetweenPages_neitherRepeatNorSkip() {
        List<String> before = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            before.add(0, ledger.earn("alice", 1, "quest").transactionId());
        }

        TransactionPage first = ledger.transactions("alice", 4, null);
        ledger.earn("alice", 5, "between pages");
        ledger.spend("alice", 2, "between pages");
        TransactionPage second = ledger.transactions("alice", 4, first.nextCursor());
        ledger.earn("alice", 7, "between pages");
        TransactionPage third = ledger.transactions("alice", 4, second.nextCursor());

        List<String> read = new ArrayList<>();
        for (TransactionPage page : List.of(first, second, third)) {
            page.transactions().forEach(t -> read.add(t.transactionId()));
        }
        assertThat(read).containsExactlyElementsOf(before);
        assertThat(third.nextCursor()).isNull();
    }

    @Test
    void transactions_withAnotherUsersCursor_throwInvalidCursor() {
        for (int i = 0; i < 3; i++) {
            ledger.earn("alice", 1, "quest");
            ledger.earn("bob", 1, "quest");
        }
        String alicesCursor = ledger.transactions("alice", 1, null).nextCursor();

        assertThatThrownBy(() -> ledger.transactions("bob", 1, alicesCursor))
                .isInstanceOf(InvalidCursorException.class)
                .hasMessageContaining("another user");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not-a-cursor", "%%%", "h1:5:alice", "aDE6NTphbGljZQ==="})
    void transactions_withAMalformedCursor_throwInvalidCursor(String cursor) {
        ledger.earn("alice", 1, "quest");

        assertThatThrownBy(() -> ledger.transactions("alice", 10, cursor))
                .isInstanceOf(InvalidCursorException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h1:abc:alice", "h1:0:alice", "h1:-3:alice", "h2:5:alice", "h1:5", "5:alice"})
    void transactions_withAWellEncodedButMeaninglessCursor_throwInvalidCursor(String plain) {
        String cursor = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(plain.getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> ledger.transactions("alice", 10, cursor))
                .isInstanceOf(InvalidCursorException.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 501, Integer.MAX_VALUE, Integer.MIN_VALUE})
    void transactions_withALimitOutside1To500_throwIllegalArgument(int limit) {
        assertThatThrownBy(() -> ledger.transactions("alice", limit, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("limit")
                .hasMessageContaining(Integer.toString(limit));
    }

    @Test
    void transactions_withALimitOf1Or500_areServed() {
        ledger.earn("alice", 1, "quest");
        ledger.earn("alice", 2, "quest");

        assertThat(ledger.transactions("alice", 1, null).transactions()).hasSize(1);
        assertThat(ledger.transactions("alice", 500, null).transactions()).hasSize(2);
    }

    // --- durability and the file itself ----------------------------------------------------------

    @Test
    void reopeningTheFile_keepsBalancesAndHistory() {
        ledger.earn("alice", 100, "daily_login");
        ledger.spend("alice", 40, "sku:sword");
        ledger.earn("bob", 7, "quest");
        List<Transaction> aliceHistory = ledger.transactions("alice").transactions();
        ledger.close();

        ledger = Ledger.open(file);

        assertThat(ledger.balance("alice")).isEqualTo(60);
        assertThat(ledger.balance("bob")).isEqualTo(7);
        assertThat(ledger.transactions("alice").transactions()).isEqualTo(aliceHistory);
        Transaction after = ledger.earn("alice", 1, "after reopening");
        assertThat(aliceHistory).extracting(Transaction::transactionId).doesNotContain(after.transactionId());
        assertThat(ledger.balance("alice")).isEqualTo(61);
    }

    @Test
    void entries_debitsEqualCreditsAndEveryAccountBalanceMatchesItsEntries() throws SQLException {
        ledger.earn("alice", 100, "a");
        ledger.spend("alice", 30, "b");
        ledger.earn("bob", 1_000_000_000L, "c");
        ledger.spend("bob", 999_999_999L, "d");
        assertThatThrownBy(() -> ledger.spend("carol", 1, "e")).isInstanceOf(InsufficientBalanceException.class);
        assertThatThrownBy(() -> ledger.earn("alice", 1_000_000_000L, "f"))
                .isInstanceOf(BalanceCapExceededException.class);

        try (Connection sql = jdbc(); Statement statement = sql.createStatement()) {
            try (ResultSet sums = statement.executeQuery("SELECT SUM(debit), SUM(credit), COUNT(*) FROM entries")) {
                sums.next();
                assertThat(sums.getLong(1)).isEqualTo(sums.getLong(2)).isEqualTo(100 + 30 + 1_000_000_000L + 999_999_999L);
                assertThat(sums.getLong(3)).isEqualTo(8);
            }
            try (ResultSet accounts = statement.executeQuery("""
                    SELECT a.name, a.balance, COALESCE(SUM(e.credit) - SUM(e.debit), 0)
                    FROM accounts a LEFT JOIN entries e USING (account_id) GROUP BY a.account_id""")) {
                int rows = 0;
                while (accounts.next()) {
                    rows++;
                    assertThat(accounts.getLong(2)).as(accounts.getString(1)).isEqualTo(accounts.getLong(3));
                }
                assertThat(rows).isEqualTo(3);
            }
        }
        assertThat(ledger.balance("alice")).isEqualTo(70);
        assertThat(ledger.balance("bob")).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "UPDATE entries SET debit = 0",
        "DELETE FROM entries",
        "UPDATE transactions SET amount = 1",
        "DELETE FROM transactions",
        "UPDATE request_results SET balance = 0",
        "DELETE FROM request_results",
    })
    void history_isAppendOnly_updatesAndDeletesFail(String tamper) throws SQLException {
        ledger.earn("alice", 100, "a");
        ledger.spend("alice", 30, "b");
        List<List<Object>> before = history();

        try (Connection sql = jdbc(); Statement statement = sql.createStatement()) {
            assertThatThrownBy(() -> statement.executeUpdate(tamper))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("append-only");
        }

        assertThat(history()).isEqualTo(before);
        assertThat(ledger.transactions("alice").transactions()).hasSize(2);
    }

    /**
     * Regression: REPLACE deletes the old row without firing delete triggers unless recursive_triggers
     * is on, so on a connection opened otherwise than the program's it rewrites history in place.
     */
    @ParameterizedTest
    @ValueSource(strings = {
        "INSERT OR REPLACE INTO entries (tx_seq, account_id, debit, credit) VALUES (1, 2, 0, 999)",
        "REPLACE INTO transactions (tx_seq, user_id, request_id, type, currency, amount, reason, created_at)"
                + " VALUES (1, 'alice', 'forged', 'EARN', 'coins', 999, NULL, 0)",
        "REPLACE INTO request_results (user_id, request_id, type, status, code, amount, balance, tx_seq,"
                + " message, metadata, processed_at)"
                + " SELECT user_id, request_id, 'EARN', 'REJECTED', 'INVALID_AMOUNT', 100, 0, NULL, 'forged', NULL, 0"
                + " FROM request_results",
    })
    void history_isAppendOnly_replacingARowFails(String tamper) throws SQLException {
        ledger.earn("alice", 100, "a");
        List<List<Object>> before = history();

        try (Connection sql = SqliteConnections.open(file, false); Statement statement = sql.createStatement()) {
            assertThatThrownBy(() -> statement.executeUpdate(tamper))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("append-only");
        }

        assertThat(history()).isEqualTo(before);
    }

    @ParameterizedTest
    @CsvSource({"-1, CHECK constraint", "1000000001, its currency's cap", "1000000000000001, its currency's cap"})
    void accounts_schema_refusesAUserBalanceOutOfRange(long balance, String refusal) throws SQLException {
        ledger.earn("alice", 100, "a");

        try (Connection sql = jdbc(); Statement statement = sql.createStatement()) {
            assertThatThrownBy(() -> statement.executeUpdate(
                    "UPDATE accounts SET balance = " + balance + " WHERE name = 'user:alice'"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining(refusal);
            try (ResultSet row = statement.executeQuery("SELECT balance FROM accounts WHERE name = 'user:alice'")) {
                row.next();
                assertThat(row.getLong(1)).isEqualTo(100);
            }
        }
        ledger.close();
        ledger = Ledger.open(file);
        assertThat(ledger.balance("alice")).isEqualTo(100);
    }

    // --- in memory ---------------------------------------------------------------------------------

    @Test
    void inMemory_earnsSpendsAndPagesLikeAFile() {
        try (Ledger memory = Ledger.inMemory()) {
            Transaction earn = memory.earn("alice", 100, "daily_login");
            Transaction spend = memory.spend("alice", 60, "sku:sword");

            assertThatThrownBy(() -> memory.spend("alice", 41, "sku:shield"))
                    .isInstanceOf(InsufficientBalanceException.class);
            assertThat(memory.balance("alice")).isEqualTo(40);
            assertThat(memory.transactions("alice").transactions()).containsExactly(spend, earn);
            assertThat(memory.transactions("alice", 1, null).nextCursor()).isNotNull();
        }
    }

    @Test
    void inMemory_ledgersAreIndependent() {
        try (Ledger one = Ledger.inMemory(); Ledger two = Ledger.inMemory()) {
            one.earn("alice", 10, "quest");

            assertThat(one.balance("alice")).isEqualTo(10);
            assertThat(two.balance("alice")).isZero();
            assertThat(two.transactions("alice").transactions()).isEmpty();
        }
    }

    @Test
    void inMemory_capAndInvalidAmounts_areRefused() {
        try (Ledger memory = Ledger.inMemory()) {
            memory.earn("alice", 1_000_000_000L, "jackpot");

            assertThatThrownBy(() -> memory.earn("alice", 1, "more")).isInstanceOf(BalanceCapExceededException.class);
            assertThatThrownBy(() -> memory.spend("alice", 0, "nothing")).isInstanceOf(IllegalArgumentException.class);
            assertThat(memory.balance("alice")).isEqualTo(1_000_000_000L);
        }
    }

    // --- helpers -------------------------------------------------------------------------------------

    private List<TransactionPage> allPages(String userId, int limit) {
        List<TransactionPage> pages = new ArrayList<>();
        Set<String> cursors = new HashSet<>();
        String cursor = null;
        do {
            TransactionPage page = ledger.transactions(userId, limit, cursor);
            pages.add(page);
            cursor = page.nextCursor();
            assertThat(cursor == null || cursors.add(cursor)).as("a cursor is never handed out twice").isTrue();
        } while (cursor != null);
        return pages;
    }

    private List<List<Object>> history() throws SQLException {
        List<List<Object>> rows = new ArrayList<>();
        try (Connection sql = jdbc(); Statement statement = sql.createStatement()) {
            for (String query : List.of(
                    "SELECT * FROM transactions ORDER BY tx_seq",
                    "SELECT * FROM entries ORDER BY tx_seq, account_id",
                    "SELECT * FROM request_results ORDER BY user_id, request_id")) {
                try (ResultSet row = statement.executeQuery(query)) {
                    ResultSetMetaData columns = row.getMetaData();
                    while (row.next()) {
                        List<Object> values = new ArrayList<>();
                        values.add(query);
                        for (int i = 1; i <= columns.getColumnCount(); i++) {
                            values.add(row.getObject(i));
                        }
                        rows.add(values);
                    }
                }
            }
        }
        assertThat(rows).isNotEmpty();
        return rows;
    }

    private Connection jdbc() throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
    }

    private static List<Long> range(long from, long downTo) {
        List<Long> values = new ArrayList<>();
        for (long v = from; v >= downTo; v--) {
            values.add(v);
        }
        return values;
    }

    /** Runs {@code task} on {@code threads} threads released together by one start gate. */
    private static <T> List<T> runConcurrently(int threads, Callable<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads, LedgerTest::daemon);
        try {
            CountDownLatch ready = new CountDownLatch(threads);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    start.await();
                    return task.call();
                }));
            }
            assertThat(ready.await(30, TimeUnit.SECONDS)).as("all threads at the start gate").isTrue();
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(30, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private static Thread daemon(Runnable runnable) {
        Thread thread = new Thread(runnable, "ledger-test");
        thread.setDaemon(true);
        return thread;
    }
}
