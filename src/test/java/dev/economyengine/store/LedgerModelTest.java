package dev.economyengine.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.economyengine.ledger.BalanceChange;
import dev.economyengine.ledger.Entry;
import dev.economyengine.ledger.Outcome;
import dev.economyengine.ledger.Request;
import dev.economyengine.ledger.RequestType;
import dev.economyengine.ledger.Result;
import dev.economyengine.ledger.ResultCode;
import dev.economyengine.ledger.Status;
import dev.economyengine.ledger.Transaction;
import dev.economyengine.testing.Directories;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random batches of earns and spends against a plain model: a map of balances and a map of the
 * answers already given. The store must agree with the model after every request, and its entries
 * must always balance. Each run is one seed, so a failure names the seed that reproduces it.
 */
class LedgerModelTest {
    private static final Map<String, Long> COVERAGE = new ConcurrentHashMap<>();

    private static final long CAP = 1_000_000_000L;
    private static final List<String> USERS = List.of("alice", "bob", "carol");

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 200);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void randomEarnsAndSpends_agreeWithAPlainModel(long seed) throws IOException, SQLException {
        List<List<Step>> batches = batches(new Random(seed));
        Path dir = Files.createTempDirectory("ledger-model");
        Path file = dir.resolve("shard.db");
        Model model = new Model();
        try (ShardStore store = ShardStore.open(file, 0, new StoreOptions(
                Clock.fixed(Instant.parse("2024-05-01T12:00:00Z"), ZoneOffset.UTC),
                StoreOptions.DEFAULT_CACHE_TTL))) {
            for (List<Step> batch : batches) {
                List<Outcome> outcomes = store.apply(batch.stream().map(Step::request).toList());

                assertThat(outcomes).hasSameSizeAs(batch);
                for (int i = 0; i < batch.size(); i++) {
                    model.check(batch.get(i), outcomes.get(i));
                }
                for (String user : USERS) {
                    assertThat(store.balance(user).balance()).as("balance of %s", user).isEqualTo(model.balance(user));
                    assertThat(store.balance(user).version()).as("version of %s", user).isEqualTo(model.version(user));
                }
            }
            for (String user : USERS) {
                assertThat(historyBalance(store, user)).as("history of %s", user).isEqualTo(model.balance(user));
            }
            assertEntriesBalance(file, model);
        } finally {
            Directories.deleteRecursively(dir);
        }
    }

    /**
     * The worker's way: batches decided ahead of their writes, some discarded (their Kafka transaction
     * aborted). At random moments the writer is held back for a few batches (another connection holds
     * the file's write lock), so that batches are decided while earlier ones wait, some written and
     * some not. A discarded batch leaves no trace, and the next batch is decided as if it had never been.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void writeBehind_withHeldBackWritesAndDiscardedBatches_agreesWithAPlainModel(long seed)
            throws IOException, SQLException {
        Random random = new Random(seed);
        List<List<Step>> batches = batches(random);
        Path dir = Files.createTempDirectory("ledger-model");
        Path file = dir.resolve("shard.db");
        Model model = new Model();
        try (ShardStore store = ShardStore.open(file, 0, new StoreOptions(
                        Clock.fixed(Instant.parse("2024-05-01T12:00:00Z"), ZoneOffset.UTC),
                        StoreOptions.DEFAULT_CACHE_TTL));
                Connection other = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
                Statement writeLock = other.createStatement()) {
            boolean heldBack = false;
            for (List<Step> batch : batches) {
                if (!heldBack && random.nextInt(3) == 0) {
                    store.awaitWrites();
                    writeLock.execute("BEGIN IMMEDIATE");
                    heldBack = true;
                }
                Model before = model.copy();
                DecidedBatch decided = store.decide(batch.stream().map(Step::request).toList());

                assertThat(decided.outcomes()).hasSameSizeAs(batch);
                for (int i = 0; i < batch.size(); i++) {
                    model.check(batch.get(i), decided.outcomes().get(i));
                }
                if (random.nextInt(5) == 0) {
                    if (heldBack) {
                        writeLock.execute("ROLLBACK");
                        heldBack = false;
                    }
                    store.discard(decided);
                    model = before;
                } else {
                    store.holdReads(decided);
                    store.writeBehind(decided, OptionalLong.empty(), nanos -> { });
                }
                if (heldBack && random.nextInt(3) == 0) {
                    writeLock.execute("ROLLBACK");
                    heldBack = false;
                }
                if (!heldBack) {
                    for (String user : USERS) {
                        // A read waits for every published batch to be written.
                        assertThat(store.balance(user).balance()).as("balance of %s", user)
                                .isEqualTo(model.balance(user));
                    }
                }
            }
            if (heldBack) {
                writeLock.execute("ROLLBACK");
            }
            store.awaitWrites();
            for (String user : USERS) {
                assertThat(store.balance(user).version()).as("version of %s", user).isEqualTo(model.version(user));
                assertThat(historyBalance(store, user)).as("history of %s", user).isEqualTo(model.balance(user));
            }
            assertEntriesBalance(file, model);
            assertThat(ShardVerifier.verify(file).violations()).isEmpty();
        } finally {
            Directories.deleteRecursively(dir);
        }
    }

    /** The random runs must actually reach the interesting cases, or they prove little. */
    @AfterAll
    static void everyOutcomeWasExercised() {
        long total = COVERAGE.values().stream().mapToLong(Long::longValue).sum();
        assertThat(COVERAGE.getOrDefault("accepted", 0L)).isGreaterThan(total * 30 / 100 / 2);
        assertThat(COVERAGE.getOrDefault("INSUFFICIENT_BALANCE", 0L)).isGreaterThan(total * 5 / 100 / 2);
        assertThat(COVERAGE.getOrDefault("BALANCE_CAP_EXCEEDED", 0L)).isPositive();
        assertThat(COVERAGE.getOrDefault("duplicate", 0L)).isGreaterThan(total * 2 / 100 / 2);
        assertThat(COVERAGE.getOrDefault("exactly the cap", 0L)).isPositive();
        assertThat(COVERAGE.getOrDefault("exactly zero", 0L)).isPositive();
    }

    private static void collect(String label) {
        COVERAGE.merge(label, 1L, Long::sum);
    }

    /** The plain model: balances, versions and the first answer given to each (user, request). */
    private static final class Model {
        private final Map<String, Long> balances = new HashMap<>();
        private final Map<String, Long> versions = new HashMap<>();
        private final Map<List<String>, Result> answered = new HashMap<>();
        private long transactions;

        Model copy() {
            Model copy = new Model();
            copy.balances.putAll(balances);
            copy.versions.putAll(versions);
            copy.answered.putAll(answered);
            copy.transactions = transactions;
            return copy;
        }

        long balance(String user) {
            return balances.getOrDefault(user, 0L);
        }

        long version(String user) {
            return versions.getOrDefault(user, 0L);
        }

        void check(Step step, Outcome outcome) {
            Result result = outcome.result();
            List<String> key = List.of(step.userId(), step.requestId());
            Result first = answered.get(key);
            if (first != null) {
                collect("duplicate");
                assertThat(result).as("repeat of %s", step).isEqualTo(first.asDuplicate());
                assertThat(outcome.transaction()).isEmpty();
                assertThat(outcome.balanceChange()).isEmpty();
                return;
            }
            long before = balance(step.userId());
            long after = step.type() == RequestType.EARN ? before + step.amount() : before - step.amount();
            assertThat(result.duplicate()).isFalse();
            assertThat(result.type()).isEqualTo(step.type());
            assertThat(result.amount()).isEqualTo(step.amount());
            if (after < 0 || after > CAP) {
                ResultCode expected = after < 0 ? ResultCode.INSUFFICIENT_BALANCE : ResultCode.BALANCE_CAP_EXCEEDED;
                collect(expected.name());
                assertThat(result.status()).as("%s on %d", step, before).isEqualTo(Status.REJECTED);
                assertThat(result.code()).isEqualTo(expected);
                assertThat(result.balance()).isEqualTo(before);
                assertThat(outcome.transaction()).isEmpty();
                assertThat(outcome.balanceChange()).isEmpty();
            } else {
                collect("accepted");
                if (after == CAP || after == 0) {
                    collect(after == CAP ? "exactly the cap" : "exactly zero");
                }
                assertThat(result.status()).as("%s on %d", step, before).isEqualTo(Status.ACCEPTED);
                assertThat(result.balance()).isEqualTo(after);
                balances.put(step.userId(), after);
                versions.merge(step.userId(), 1L, Long::sum);
                transactions++;
                Transaction transaction = outcome.transaction().orElseThrow();
                assertThat(transaction.delta()).isEqualTo(after - before);
                BalanceChange change = outcome.balanceChange().orElseThrow();
                assertThat(change.delta()).isEqualTo(after - before);
                assertThat(change.balance()).isEqualTo(after);
                assertThat(change.version()).isEqualTo(version(step.userId()));
            }
            assertThat(result.balance()).isBetween(0L, CAP);
            answered.put(key, result);
        }
    }

    private static long historyBalance(ShardStore store, String user) {
        long balance = 0;
        Set<String> seen = new HashSet<>();
        String cursor = null;
        do {
            TransactionPage page = store.transactions(user, 7, cursor);
            for (Transaction transaction : page.transactions()) {
                assertThat(seen.add(transaction.transactionId())).as("%s listed once", transaction).isTrue();
                for (Entry entry : transaction.entries()) {
                    if (entry.account().equals("user:" + user)) {
                        balance += entry.credit() - entry.debit();
                    }
                }
            }
            cursor = page.nextCursor();
        } while (cursor != null);
        return balance;
    }

    private static void assertEntriesBalance(Path file, Model model) throws SQLException {
        try (Connection sql = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
                Statement statement = sql.createStatement()) {
            try (ResultSet sums = statement.executeQuery(
                    "SELECT COALESCE(SUM(debit), 0), COALESCE(SUM(credit), 0), COUNT(*) FROM entries")) {
                sums.next();
                assertThat(sums.getLong(1)).as("debits equal credits").isEqualTo(sums.getLong(2));
                assertThat(sums.getLong(3)).isEqualTo(2 * model.transactions);
            }
            try (ResultSet accounts = statement.executeQuery("""
                    SELECT a.name, a.balance, COALESCE(SUM(e.credit), 0) - COALESCE(SUM(e.debit), 0)
                    FROM accounts a LEFT JOIN entries e USING (account_id) GROUP BY a.account_id""")) {
                long total = 0;
                while (accounts.next()) {
                    assertThat(accounts.getLong(2)).as("%s against its entries", accounts.getString(1))
                            .isEqualTo(accounts.getLong(3));
                    total += accounts.getLong(2);
                }
                assertThat(total).as("the reserve mirrors the users").isZero();
            }
        }
    }

    /** 1 to 15 batches of 1 to 6 steps. */
    private static List<List<Step>> batches(Random random) {
        List<List<Step>> batches = new ArrayList<>();
        for (int b = 0, count = 1 + random.nextInt(15); b < count; b++) {
            List<Step> batch = new ArrayList<>();
            for (int i = 0, size = 1 + random.nextInt(6); i < size; i++) {
                batch.add(new Step(random.nextBoolean() ? RequestType.EARN : RequestType.SPEND,
                        USERS.get(random.nextInt(USERS.size())), requestId(random), amount(random)));
            }
            batches.add(batch);
        }
        return batches;
    }

    /** Mostly fresh ids, but often one from a small pool, so that requests are repeated. */
    private static String requestId(Random random) {
        return random.nextInt(5) == 0 ? "r" + random.nextInt(6) : "r" + (100 + random.nextInt(1_000_000));
    }

    /** Mostly small amounts, some up to the largest, some near it so that the cap is reached. */
    private static long amount(Random random) {
        int pick = random.nextInt(11);
        if (pick < 6) {
            return 1 + random.nextInt(100);
        } else if (pick < 8) {
            return 1 + random.nextInt(1_000_000);
        } else if (pick < 9) {
            return 1 + (long) (random.nextDouble() * (CAP - 1));
        } else if (pick < 10) {
            return CAP - random.nextInt(1_001);
        }
        return CAP;
    }

    record Step(RequestType type, String userId, String requestId, long amount) {
        Request request() {
            return type == RequestType.EARN
                    ? new Request.Earn(requestId, userId, amount, "model", null)
                    : new Request.Spend(requestId, userId, amount, "model", null);
        }
    }
}
