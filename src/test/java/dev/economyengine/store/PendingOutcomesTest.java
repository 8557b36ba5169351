package dev.economyengine.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.economyengine.ledger.Economy;
import dev.economyengine.ledger.Request;
import dev.economyengine.store.KeyLookups.RequestKey;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The overlay of decided, unwritten batches, against an empty file: what it knows is only its own. */
class PendingOutcomesTest {
    private static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");

    private final BatchDecider decider = new BatchDecider(0, Economy.coinsOnly());
    private final PendingOutcomes pending = new PendingOutcomes();
    private Connection connection;
    private KeyLookups emptyFile;
    private long batches;

    @BeforeEach
    void openEmptyFile() throws SQLException {
        connection = SqliteConnections.openInMemory();
        Schema.create(connection, 0, Economy.coinsOnly());
        emptyFile = new KeyLookups(connection, 0);
    }

    @AfterEach
    void close() throws SQLException {
        connection.close();
    }

    @Test
    void aWrittenBatchIsForgotten_butNotAUsersAccountThatALaterPendingBatchLeft() throws SQLException {
        decideAndAdd(earn("r1", "alice", 10), earn("r2", "bob", 3));
        decideAndAdd(earn("r3", "alice", 5));

        pending.forgetWritten(1);

        BatchDecider.Start start = pending.startFor(List.of(earn("r4", "alice", 1), earn("r5", "bob", 1)), emptyFile, decider.subjects());
        assertThat(start.accounts().get("alice")).as("left by batch 2, still pending")
                .isEqualTo(new UserAccounts(2, Map.of("coins", new UserAccounts.Account(2, 15))));
        assertThat(start.accounts()).as("bob's only pending batch is written: the file has him")
                .doesNotContainKey("bob");
    }

    @Test
    void aWrittenBatchsResults_areReadFromTheFile_thePendingOnesFromTheOverlay() throws SQLException {
        decideAndAdd(earn("r1", "alice", 10));
        decideAndAdd(earn("r2", "alice", 5));

        pending.forgetWritten(1);

        BatchDecider.Start start = pending.startFor(List.of(earn("r1", "alice", 10), earn("r2", "alice", 5)), emptyFile, decider.subjects());
        assertThat(start.seen()).containsOnlyKeys(new RequestKey("alice", "r2"));
    }

    @Test
    void numbersGoOnFromThePendingBatches_andFromTheFileOnceNoneIsPending() throws SQLException {
        decideAndAdd(earn("r1", "alice", 10), earn("r2", "bob", 3));
        BatchDecider.Start whilePending = pending.startFor(List.of(earn("r3", "carol", 1)), emptyFile, decider.subjects());
        assertThat(whilePending.nextSequence()).isEqualTo(3);
        assertThat(whilePending.nextAccountId()).isEqualTo(4);

        pending.forgetWritten(1);

        assertThat(pending.isEmpty()).isTrue();
        BatchDecider.Start fromFile = pending.startFor(List.of(earn("r3", "carol", 1)), emptyFile, decider.subjects());
        assertThat(fromFile.nextSequence()).as("this file is empty").isEqualTo(1);
        assertThat(fromFile.nextAccountId()).as("after the reserve's account").isEqualTo(2);
    }

    private void decideAndAdd(Request... requests) throws SQLException {
        List<Request> batch = List.of(requests);
        BatchDecider.Decided decided = decider.decide(batch, pending.startFor(batch, emptyFile, decider.subjects()), NOW);
        pending.add(new DecidedBatch(0, ++batches, decided.outcomes(), decided.accounts(), decided.usages()), decided);
    }

    private static Request earn(String requestId, String userId, long amount) {
        return new Request.Earn(requestId, userId, amount, "quest", null);
    }
}
