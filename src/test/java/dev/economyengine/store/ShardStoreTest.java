package dev.economyengine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.economyengine.ledger.BalanceChange;
import dev.economyengine.ledger.Outcome;
import dev.economyengine.ledger.Request;
import dev.economyengine.ledger.RequestType;
import dev.economyengine.ledger.Result;
import dev.economyengine.ledger.ResultCode;
import dev.economyengine.ledger.Status;
import dev.economyengine.ledger.Transaction;
import dev.economyengine.ledger.UserBalance;
import dev.economyengine.testing.SettableClock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ShardStoreTest {

    /** Nanoseconds on purpose: results keep milliseconds, the precision they are stored with. */
    private static final Instant START = Instant.parse("2024-05-01T12:00:00.123456789Z");
    private static final Instant START_MILLIS = Instant.parse("2024-05-01T12:00:00.123Z");
    private static final int SHARD = 1;

    @TempDir
    Path dir;

    private Path file;
    private SettableClock clock;
    private ShardStore store;

    @BeforeEach
    void openStore() {
        file = dir.resolve("shard-1.db");
        clock = new SettableClock(START);
        store = open(SHARD);
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    // --- a batch is one transaction ---------------------------------------------------------------

    @Test
    void batch_decidesInOrderAgainstTheBalancesOfTheRequestsBeforeIt() {
        List<Outcome> outcomes = store.apply(List.of(
                earn("r1", "alice", 10),
                spend("r2", "alice", 10),
                spend("r3", "alice", 1)));

        assertThat(outcomes).extracting(o -> o.result().requestId()).containsExactly("r1", "r2", "r3");
        assertThat(outcomes).extracting(o -> o.result().status())
                .containsExactly(Status.ACCEPTED, Status.ACCEPTED, Status.REJECTED);
        assertThat(outcomes).extracting(o -> o.result().balance()).containsExactly(10L, 0L, 0L);
        Result third = outcomes.get(2).result();
        assertThat(third.code()).isEqualTo(ResultCode.INSUFFICIENT_BALANCE);
        assertThat(third.amount()).isEqualTo(1L);
        assertThat(third.transactionId()).isNull();
        assertThat(outcomes.get(2).transaction()).isEmpty();
        assertThat(outcomes.get(2).balanceChange()).isEmpty();
        assertThat(store.balance("alice")).isEqualTo(new UserBalance("alice", 0, 2));
    }

    @Test
    void batch_ofSeveralUsers_keepsEachUsersBalanceAndTheReserveMirrorsThem() throws SQLException {
        List<Outcome> outcomes = store.apply(List.of(
                earn("r1", "alice", 100),
                earn("r1", "bob", 40),
                spend("r2", "alice", 30),
                spend("r2", "bob", 41),
                earn("r3", "bob", 5)));

        assertThat(outcomes).extracting(o -> o.result().balance()).containsExactly(100L, 40L, 70L, 40L, 45L);
        assertThat(store.balance("alice").balance()).isEqualTo(70);
        assertThat(store.balance("bob").balance()).isEqualTo(45);
        try (Connection sql = jdbc(); Statement statement = sql.createStatement();
                ResultSet reserve = statement.executeQuery(
                        "SELECT balance FROM accounts WHERE name = 'system:reserve'")) {
            reserve.next();
            assertThat(reserve.getLong(1)).isEqualTo(-(70 + 45));
        }
    }

    @Test
    void batch_thatFailsPartWay_commitsNothingAndTheStoreCarriesOn() throws SQLException {
        store.apply(List.of(earn("r0", "alice", 50)));
        UserBalance warmed = store.balance("alice");
        try (Connection sql = jdbc(); Statement statement = sql.createStatement()) {
            statement.execute("""
                    CREATE TRIGGER test_fault BEFORE INSERT ON transactions WHEN NEW.request_id = 'boom'
                    BEGIN SELECT RAISE(ABORT, 'injected fault'); END""");
        }

        assertThatThrownBy(() -> store.apply(List.of(
                earn("r1", "alice", 10),
                spend("r2", "alice", 20),
                earn("boom", "bob", 1))))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("injected fault");

        assertThat(store.balance("alice")).isEqualTo(warmed);
        assertThat(store.result("alice", "r1")).isEmpty();
        assertThat(store.result("alice", "r2")).isEmpty();
        assertThat(store.transactions("alice", 10, null).transactions()).hasSize(1);
        assertThat(store.balance("bob").balance()).isZero();

        List<Outcome> retry = store.apply(List.of(earn("r1", "alice", 10), spend("r2", "alice", 20)));
        assertThat(retry).allSatisfy(o -> assertThat(o.result().duplicate()).isFalse());
        assertThat(retry).extracting(o -> o.result().transactionId()).containsExactly("1-2", "1-3");
        assertThat(store.balance("alice")).isEqualTo(new UserBalance("alice", 40, 3));
    }

    @Test
    void apply_ofNoRequests_returnsNoOutcomes() {
        assertThat(store.apply(List.of())).isEmpty();
    }

    // --- idempotency ------------------------------------------------------------------------------

    @Test
    void repeatedRequest_inTheSameBatch_getsTheOriginalResultMarkedDuplicateAndMovesNothing() {
        List<Outcome> outcomes = store.apply(List.of(
                earn("r1", "alice", 10),
                earn("r1", "alice", 10),
                earn("r2", "alice", 1)));

        Result original = outcomes.get(0).result();
        Outcome repeat = outcomes.get(1);
        assertThat(repeat.result()).isEqualTo(original.asDuplicate());
        assertThat(repeat.result().transactionId()).isEqualTo(original.transactionId());
        assertThat(repeat.result().balance()).isEqualTo(10);
        assertThat(repeat.transaction()).isEmpty();
        assertThat(repeat.balanceChange()).isEmpty();
        assertThat(outcomes.get(2).result().balance()).isEqualTo(11);
        assertThat(store.balance("alice").balance()).isEqualTo(11);
        assertThat(store.transactions("alice", 10, null).transactions()).hasSize(2);
    }

    @Test
    void repeatedRequest_inALaterBatch_getsTheOriginalResultEvenIfItNowAsksForSomethingElse() {
        Outcome first = store.apply(List.of(earn("r1", "alice", 10))).get(0);
        store.apply(List.of(earn("r2", "alice", 5)));
        clock.advance(Duration.ofMinutes(5));

        Outcome sameRequest = store.apply(List.of(earn("r1", "alice", 10))).get(0);
        Outcome sameIdOtherAsk = store.apply(List.of(spend("r1", "alice", 3))).get(0);

        Result original = first.result();
        assertThat(original.processedAt()).isEqualTo(START_MILLIS);
        for (Outcome repeat : List.of(sameRequest, sameIdOtherAsk)) {
            assertThat(repeat.result()).isEqualTo(original.asDuplicate());
            assertThat(repeat.result().duplicate()).isTrue();
            assertThat(repeat.result().transactionId()).isEqualTo(original.transactionId());
            assertThat(repeat.result().balance()).isEqualTo(10);
            assertThat(repeat.result().processedAt()).isEqualTo(START_MILLIS);
            assertThat(repeat.transaction()).isEmpty();
            assertThat(repeat.balanceChange()).isEmpty();
        }
        assertThat(store.balance("alice").balance()).isEqualTo(15);
    }

    /**
     * A batch looks its keys up in one query, with the keys sent to SQLite as JSON: keys that JSON must
     * escape, or that are not plain ASCII, must still find their stored result and their account.
     */
    @ParameterizedTest
    @ValueSource(strings = {"quote\"d", "back\\slash", "tab\there", "nul\u0000byte", "line\nbreak",
        "caf\u00e9", "\uD83C\uDFAE-gamer", "lone-\uD800-surrogate", "[\"json\", 1]"})
    void repeatedRequest_withIdsThatJsonEscapes_isStillADuplicate_andTheUserKeepsOneAccount(String id) {
        Result original = store.apply(List.of(earn(id, id, 10))).get(0).result();
        store.apply(List.of(earn("other", id, 5)));

        List<Outcome> repeats = store.apply(List.of(earn("third", id, 1), earn(id, id, 10)));

        assertThat(repeats.get(1).result()).isEqualTo(original.asDuplicate());
        assertThat(store.balance(id).balance()).isEqualTo(16);
        assertThat(store.balance(id).version()).isEqualTo(3);
        assertThat(store.transactions(id, 10, null).transactions()).hasSize(3);
    }

    @Test
    void repeatedRequest_afterReopeningTheFile_isStillADuplicate() {
        Result original = store.apply(List.of(earn("r1", "alice", 10))).get(0).result();
        store.close();
        store = open(SHARD);

        Outcome repeat = store.apply(List.of(earn("r1", "alice", 10))).get(0);

        assertThat(repeat.result()).isEqualTo(original.asDuplicate());
        assertThat(store.balance("alice").balance()).isEqualTo(10);
    }

    @Test
    void sameRequestId_forAnotherUser_isADifferentRequest() {
        List<Outcome> outcomes = store.apply(List.of(earn("r1", "alice", 10), earn("r1", "bob", 20)));
        Outcome later = store.apply(List.of(earn("r1", "carol", 30))).get(0);

        assertThat(outcomes).allSatisfy(o -> {
            assertThat(o.result().duplicate()).isFalse();
            assertThat(o.result().isAccepted()).isTrue();
        });
        assertThat(later.result().duplicate()).isFalse();
        assertThat(List.of(outcomes.get(0), outcomes.get(1), later))
                .extracting(o -> o.result().transactionId()).doesNotHaveDuplicates();
        assertThat(store.balance("alice").balance()).isEqualTo(10);
        assertThat(store.balance("bob").balance()).isEqualTo(20);
        assertThat(store.balance("carol").balance()).isEqualTo(30);
    }

    @Test
    void rejectedRequest_isRememberedSoARetryGetsTheSameRejection() {
        Request unknownAction = new Request.Rejected("r1", "alice", RequestType.EARN, null, ResultCode.UNKNOWN_ACTION,
                "no earning rule for action 'fly'", null, "{\"action\":\"fly\"}");

        Result original = store.apply(List.of(unknownAction)).get(0).result();
        Outcome retry = store.apply(List.of(earn("r1", "alice", 10))).get(0);

        assertThat(original.status()).isEqualTo(Status.REJECTED);
        assertThat(original.code()).isEqualTo(ResultCode.UNKNOWN_ACTION);
        assertThat(original.message()).isEqualTo("no earning rule for action 'fly'");
        assertThat(original.metadataJson()).isEqualTo("{\"action\":\"fly\"}");
        assertThat(retry.result()).isEqualTo(original.asDuplicate());
        assertThat(retry.transaction()).isEmpty();
        assertThat(store.balance("alice").balance()).isZero();
        assertThat(store.result("alice", "r1")).contains(original);
    }

    @Test
    void insufficientBalance_isRememberedEvenAfterTheUserCanAffordIt() {
        Result original = store.apply(List.of(spend("r1", "alice", 5))).get(0).result();
        store.apply(List.of(earn("r2", "alice", 100)));

        List<Outcome> retries = store.apply(List.of(spend("r1", "alice", 5), spend("r1", "alice", 5)));

        assertThat(original.code()).isEqualTo(ResultCode.INSUFFICIENT_BALANCE);
        assertThat(retries).extracting(Outcome::result)
                .containsExactly(original.asDuplicate(), original.asDuplicate());
        assertThat(store.balance("alice").balance()).isEqualTo(100);
    }

    @Test
    void rejectedRequest_withNoUser_isNotRememberedAndHasBalanceZero() {
        Request unreadable = new Request.Rejected("r1", null, RequestType.SPEND, null, ResultCode.INVALID_REQUEST,
                "userId is missing", null, null);

        List<Outcome> outcomes = store.apply(List.of(unreadable, unreadable));
        Outcome later = store.apply(List.of(unreadable)).get(0);

        for (Outcome outcome : List.of(outcomes.get(0), outcomes.get(1), later)) {
            assertThat(outcome.result().duplicate()).isFalse();
            assertThat(outcome.result().userId()).isNull();
            assertThat(outcome.result().balance()).isZero();
            assertThat(outcome.result().code()).isEqualTo(ResultCode.INVALID_REQUEST);
        }
    }

    @Test
    void result_returnsTheStoredResultAndNothingForAnUnknownRequest() {
        Result accepted = store.apply(List.of(earn("r1", "alice", 10))).get(0).result();
        Result rejected = store.apply(List.of(spend("r2", "alice", 11))).get(0).result();

        assertThat(store.result("alice", "r1")).contains(accepted);
        assertThat(store.result("alice", "r2")).contains(rejected);
        assertThat(store.result("alice", "r1").orElseThrow().duplicate()).isFalse();
        assertThat(store.result("alice", "r3")).isEmpty();
        assertThat(store.result("bob", "r1")).isEmpty();
    }

    // --- balance changes, ids and the cache ------------------------------------------------------

    @Test
    void balanceChanges_countVersionsFromOneAndCarrySignedDeltas() {
        List<Outcome> outcomes = store.apply(List.of(
                earn("r1", "alice", 10),
                spend("r2", "alice", 3),
                spend("r3", "alice", 100),
                earn("r4", "bob", 1)));
        Outcome later = store.apply(List.of(earn("r5", "alice", 5))).get(0);

        BalanceChange first = outcomes.get(0).balanceChange().orElseThrow();
        assertThat(first).isEqualTo(new BalanceChange("alice", "coins", 10, 10,
                outcomes.get(0).result().transactionId(), "r1", 1, START_MILLIS));
        assertThat(outcomes.get(1).balanceChange().orElseThrow())
                .extracting(BalanceChange::version, BalanceChange::delta, BalanceChange::balance)
                .containsExactly(2L, -3L, 7L);
        assertThat(outcomes.get(2).balanceChange()).isEmpty();
        assertThat(outcomes.get(3).balanceChange().orElseThrow().version()).isEqualTo(1);
        assertThat(later.balanceChange().orElseThrow())
                .extracting(BalanceChange::version, BalanceChange::delta, BalanceChange::balance)
                .containsExactly(3L, 5L, 12L);
        assertThat(store.balance("alice")).isEqualTo(new UserBalance("alice", 12, 3));
    }

    @Test
    void balanceChanges_keepCountingAfterReopeningTheFile() {
        store.apply(List.of(earn("r1", "alice", 10), earn("r2", "alice", 10)));
        store.close();
        store = open(SHARD);

        BalanceChange next = store.apply(List.of(spend("r3", "alice", 1))).get(0).balanceChange().orElseThrow();

        assertThat(next.version()).isEqualTo(3);
        assertThat(next.balance()).isEqualTo(19);
    }

    @Test
    void transactionIds_areTheShardAndASequence() {
        closeStore();
        file = dir.resolve("shard-3.db");
        store = open(3);

        List<Outcome> outcomes = store.apply(List.of(
                earn("r1", "alice", 10), earn("r1", "bob", 10), spend("r2", "alice", 1)));
        Outcome later = store.apply(List.of(earn("r3", "alice", 1))).get(0);

        assertThat(outcomes).extracting(o -> o.result().transactionId()).containsExactly("3-1", "3-2", "3-3");
        assertThat(later.result().transactionId()).isEqualTo("3-4");
        assertThat(later.transaction().orElseThrow().transactionId()).isEqualTo("3-4");
        assertThat(later.balanceChange().orElseThrow().transactionId()).isEqualTo("3-4");
    }

    @Test
    void transaction_inTheOutcome_isTheOneTheHistoryShows() {
        Request earn = new Request.Earn("r1", "alice", 10, "daily_login", "{\"streak\":4}");
        Outcome outcome = store.apply(List.of(earn)).get(0);

        Transaction transaction = outcome.transaction().orElseThrow();
        assertThat(transaction.createdAt()).isEqualTo(START_MILLIS);
        assertThat(transaction.reason()).isEqualTo("daily_login");
        assertThat(outcome.result().metadataJson()).isEqualTo("{\"streak\":4}");
        assertThat(store.transactions("alice", 10, null).transactions()).containsExactly(transaction);
    }

    @Test
    void file_ofOneShard_refusesToOpenAsAnother() {
        store.apply(List.of(earn("r1", "alice", 10)));
        store.close();
        store = null;

        assertThatThrownBy(() -> open(2))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("shard 1")
                .hasMessageContaining("shard 2");

        store = open(SHARD);
        assertThat(store.balance("alice").balance()).isEqualTo(10);
    }

    @Test
    void balance_afterApply_isNeverStaleEvenWhenTheCacheWasWarm() {
        assertThat(store.balance("alice")).isEqualTo(UserBalance.empty("alice"));

        store.apply(List.of(earn("r1", "alice", 10)));
        assertThat(store.balance("alice")).isEqualTo(new UserBalance("alice", 10, 1));

        store.apply(List.of(spend("r2", "alice", 4), earn("r3", "bob", 1)));
        assertThat(store.balance("alice")).isEqualTo(new UserBalance("alice", 6, 2));
        assertThat(store.balance("bob")).isEqualTo(new UserBalance("bob", 1, 1));
    }

    @Test
    void balance_afterAnotherWriterChangedTheFile_isReloadedOnceTheCacheExpires() throws SQLException {
        store.apply(List.of(earn("r1", "alice", 10)));
        assertThat(store.balance("alice").balance()).isEqualTo(10);
        try (Connection sql = jdbc(); Statement statement = sql.createStatement()) {
            statement.executeUpdate("UPDATE accounts SET balance = 9 WHERE name = 'user:alice'");
        }

        clock.advance(StoreOptions.DEFAULT_CACHE_TTL.plusMillis(1));
        assertThat(store.balance("alice").balance()).as("expired and reloaded").isEqualTo(9);
    }

    // --- write-behind: decided now, written on the shard's writer thread -------------------------

    @Test
    void decide_seesTheBatchesDecidedBeforeIt_evenBeforeTheyAreWritten() {
        store.apply(List.of(earn("r1", "alice", 10)));
        DecidedBatch first = store.decide(List.of(spend("r2", "alice", 4)));
        DecidedBatch second = store.decide(List.of(spend("r2", "alice", 4), spend("r3", "alice", 6),
                spend("r4", "alice", 1)));

        assertThat(first.number()).isLessThan(second.number());
        assertThat(second.outcomes()).extracting(o -> o.result().duplicate()).containsExactly(true, false, false);
        assertThat(second.outcomes()).extracting(o -> o.result().balance()).containsExactly(6L, 0L, 0L);
        assertThat(second.outcomes().get(2).result().code()).isEqualTo(ResultCode.INSUFFICIENT_BALANCE);
        assertThat(second.outcomes().get(1).balanceChange()).map(BalanceChange::version).contains(3L);
        assertThat(second.outcomes().get(1).transaction().orElseThrow().transactionId())
                .as("transaction numbers go on from the pending batch").isEqualTo("1-3");
        assertThat(store.balance("alice").balance()).as("nothing written yet").isEqualTo(10);

        store.writeBehind(first, OptionalLong.of(7), nanos -> { });
        store.writeBehind(second, OptionalLong.of(9), nanos -> { });
        store.awaitWrites();

        assertThat(store.balance("alice")).isEqualTo(new UserBalance("alice", 0, 3));
        assertThat(store.result("alice", "r4")).map(Result::code).contains(ResultCode.INSUFFICIENT_BALANCE);
        assertThat(store.changelogOffset()).isEqualTo(9);
        assertThat(ShardVerifier.verify(file).violations()).isEmpty();
    }

    @Test
    void decide_afterTheWrites_readsTheFile_andGoesOnNumberingFromIt() {
        DecidedBatch first = store.decide(List.of(earn("r1", "alice", 10)));
        store.writeBehind(first, OptionalLong.empty(), nanos -> { });
        store.awaitWrites();

        DecidedBatch second = store.decide(List.of(earn("r1", "alice", 10), spend("r2", "alice", 3)));

        assertThat(second.outcomes().get(0).result().duplicate()).isTrue();
        assertThat(second.outcomes().get(1).result().balance()).isEqualTo(7);
        assertThat(second.outcomes().get(1).transaction().orElseThrow().transactionId()).isEqualTo("1-2");
    }

    @Test
    void discard_forgetsTheBatch_andTheNextIsDecidedOnTheFileAlone() {
        store.apply(List.of(earn("r1", "alice", 10)));
        DecidedBatch written = store.decide(List.of(earn("r2", "alice", 5)));
        store.writeBehind(written, OptionalLong.empty(), nanos -> { });
        DecidedBatch dropped = store.decide(List.of(spend("r3", "alice", 15)));
        store.holdReads(dropped);

        store.discard(dropped);

        DecidedBatch retried = store.decide(List.of(spend("r3", "alice", 15), spend("r4", "alice", 1)));
        assertThat(retried.outcomes()).extracting(o -> o.result().duplicate()).containsExactly(false, false);
        assertThat(retried.outcomes()).extracting(o -> o.result().balance()).containsExactly(0L, 0L);
        assertThat(retried.outcomes().get(1).result().code()).isEqualTo(ResultCode.INSUFFICIENT_BALANCE);
        assertThat(store.balance("alice").balance()).as("readers are not held by a discarded batch").isEqualTo(15);
    }

    @Test
    void readsOfABatchWhoseResultsArePublished_waitForItsWrite_andSeeIt() throws Exception {
        store.apply(List.of(earn("r1", "alice", 10)));
        assertThat(store.balance("alice").balance()).isEqualTo(10);
        DecidedBatch batch = store.decide(List.of(earn("r2", "alice", 5)));
        store.holdReads(batch);

        CompletableFuture<Long> balance = CompletableFuture.supplyAsync(() -> store.balance("alice").balance());
        CompletableFuture<Boolean> result = CompletableFuture.supplyAsync(() -> store.result("alice", "r2").isPresent());
        assertThatThrownBy(() -> balance.get(200, TimeUnit.MILLISECONDS))
                .as("the balance read waits for the write").isInstanceOf(TimeoutException.class);
        assertThat(result.isDone()).as("the result read waits too").isFalse();

        store.writeBehind(batch, OptionalLong.empty(), nanos -> { });
        assertThat(balance.get(10, TimeUnit.SECONDS)).isEqualTo(15);
        assertThat(result.get(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void writeBehind_waitsWhileTenThousandRequestsWaitForTheWriter() throws Exception {
        List<Request> burst = new java.util.ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            burst.add(earn("burst-" + i, "user-" + (i % 100), 1));
        }
        DecidedBatch big = store.decide(burst);
        DecidedBatch next = store.decide(List.of(earn("r-next", "alice", 1)));
        try (Connection other = jdbc(); Statement statement = other.createStatement()) {
            // Another connection holds the file's write lock: the writer thread waits for it.
            statement.execute("BEGIN IMMEDIATE");
            store.writeBehind(big, OptionalLong.empty(), nanos -> { });
            CompletableFuture<Void> handedOver = CompletableFuture.runAsync(
                    () -> store.writeBehind(next, OptionalLong.empty(), nanos -> { }));
            assertThatThrownBy(() -> handedOver.get(200, TimeUnit.MILLISECONDS))
                    .as("the queue is full").isInstanceOf(TimeoutException.class);

            statement.execute("ROLLBACK");
            handedOver.get(10, TimeUnit.SECONDS);
        }
        store.awaitWrites();
        assertThat(store.balance("user-7").balance()).isEqualTo(100);
        assertThat(store.balance("alice").balance()).isEqualTo(1);
    }

    @Test
    void aWriteThatFails_failsTheBatchesQueuedAfterIt_untilARestoreCatchesTheFileUp() throws SQLException {
        store.apply(List.of(earn("r1", "alice", 10)));
        try (Connection sql = jdbc(); Statement statement = sql.createStatement()) {
            statement.execute("CREATE TRIGGER broken_disk BEFORE INSERT ON transactions"
                    + " BEGIN SELECT RAISE(ABORT, 'disk trouble'); END");
        }
        DecidedBatch failing = store.decide(List.of(earn("r2", "alice", 5)));
        DecidedBatch queued = store.decide(List.of(spend("r3", "alice", 15)));
        List<Long> timed = new java.util.concurrent.CopyOnWriteArrayList<>();
        store.holdReads(queued);
        store.writeBehind(failing, OptionalLong.of(5), timed::add);
        store.writeBehind(queued, OptionalLong.of(6), timed::add);
        store.awaitWrites();

        assertThat(store.writeFailed()).isTrue();
        assertThat(timed).as("a failed write reports no time").isEmpty();
        assertThat(store.balance("alice").balance()).as("readers are released, on the file as it is").isEqualTo(10);
        assertThatThrownBy(() -> store.decide(List.of(earn("r4", "alice", 1))))
                .as("no decision on a file that misses published batches").isInstanceOf(StoreException.class);

        try (Connection sql = jdbc(); Statement statement = sql.createStatement()) {
            statement.execute("DROP TRIGGER broken_disk");
        }
        // What the changelog holds for the two batches, as the worker's restore would bring it.
        List<Outcome> published = new java.util.ArrayList<>(failing.outcomes());
        published.addAll(queued.outcomes());
        store.restore(published, 6);

        assertThat(store.writeFailed()).isFalse();
        assertThat(store.balance("alice").balance()).isZero();
        assertThat(store.decide(List.of(earn("r4", "alice", 1))).outcomes().get(0).result().balance()).isEqualTo(1);
    }

    // --- helpers ----------------------------------------------------------------------------------

    private ShardStore open(int shardId) {
        return ShardStore.open(file, shardId, new StoreOptions(clock, StoreOptions.DEFAULT_CACHE_TTL));
    }

    private Connection jdbc() throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
    }

    private static Request earn(String requestId, String userId, long amount) {
        return new Request.Earn(requestId, userId, amount, "quest", null);
    }

    private static Request spend(String requestId, String userId, long amount) {
        return new Request.Spend(requestId, userId, amount, "sku:sword", null);
    }
}
