package dev.economyengine.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.economyengine.ledger.Outcome;
import dev.economyengine.ledger.Request;
import dev.economyengine.ledger.Result;
import dev.economyengine.ledger.Status;
import dev.economyengine.testing.SettableClock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The two ways a result is stored, and that either reads back as the result that was decided. */
class StoredResultsTest {
    private static final Instant START = Instant.parse("2024-05-01T12:00:00.123Z");
    private static final String SHORT_ROW = "type IS NULL AND status IS NULL AND code IS NULL AND amount IS NULL"
            + " AND message IS NULL AND processed_at IS NULL AND tx_seq IS NOT NULL";

    @TempDir
    Path dir;

    private ShardStore store;

    @BeforeEach
    void openStore() {
        store = open("shard-1.db");
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void acceptedResult_isStoredWithoutWhatItsTransactionHolds_andReadsBackWhole() throws SQLException {
        List<Outcome> outcomes = store.apply(List.of(
                new Request.Earn("r1", "alice", 40, "quest", "{\"matchId\":\"m-7\"}"),
                new Request.Spend("r2", "alice", 15, "sku:sword", null)));

        assertThat(rowIsShort("r1")).isTrue();
        assertThat(rowIsShort("r2")).isTrue();
        for (Outcome outcome : outcomes) {
            assertThat(store.result("alice", outcome.result().requestId())).contains(outcome.result());
        }
        DecidedBatch again = store.decide(List.of(new Request.Earn("r1", "alice", 40, "quest", null)));
        assertThat(again.outcomes()).extracting(Outcome::result)
                .containsExactly(outcomes.get(0).result().asDuplicate());
        store.discard(again);
    }

    @Test
    void rejectedResult_isStoredWhole() throws SQLException {
        Result rejected = store.apply(List.of(new Request.Spend("r1", "bob", 5, "sku:shield", "{\"a\":1}")))
                .get(0).result();

        assertThat(rejected.status()).isEqualTo(Status.REJECTED);
        assertThat(rowIsShort("r1")).isFalse();
        assertThat(store.result("bob", "r1")).contains(rejected);
    }

    @Test
    void restoredResultThatItsTransactionDoesNotComplete_isStoredWhole_andReadsBackAsItWas() throws SQLException {
        List<Outcome> decided;
        try (ShardStore source = open("source.db")) {
            decided = source.apply(List.of(new Request.Earn("r1", "alice", 40, "quest", null)));
        }
        Outcome original = decided.get(0);
        Result announced = original.result();
        // A changelog record whose result was taken a millisecond after its transaction: never
        // written by this program, but a restore stores what the changelog says.
        Result later = new Result(announced.requestId(), announced.userId(), announced.type(), announced.status(),
                announced.code(), announced.amount(), "coins", announced.balance(), announced.transactionId(),
                announced.message(), announced.metadataJson(), null, announced.processedAt().plusMillis(1), false);
        store.restore(List.of(Outcome.accepted(later, original.transaction().orElseThrow(),
                original.balanceChange().orElseThrow())), 1);

        assertThat(rowIsShort("r1")).isFalse();
        assertThat(store.result("alice", "r1")).contains(later);
    }

    private boolean rowIsShort(String requestId) throws SQLException {
        store.awaitWrites();
        try (Connection sql = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("shard-1.db"));
                Statement statement = sql.createStatement();
                ResultSet row = statement.executeQuery("SELECT " + SHORT_ROW
                        + " FROM request_results WHERE request_id = '" + requestId + "'")) {
            assertThat(row.next()).as("a row for request " + requestId).isTrue();
            return row.getBoolean(1);
        }
    }

    private ShardStore open(String name) {
        return ShardStore.open(dir.resolve(name), 1, new StoreOptions(new SettableClock(START),
                StoreOptions.DEFAULT_CACHE_TTL));
    }
}
