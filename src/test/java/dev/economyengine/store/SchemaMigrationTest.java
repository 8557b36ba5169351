package dev.economyengine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.economyengine.ledger.Outcome;
import dev.economyengine.ledger.Request;
import dev.economyengine.ledger.Status;
import dev.economyengine.testing.SettableClock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A shard file written by schema version 1 is read by the offline tools and upgraded on open. */
class SchemaMigrationTest {
    private static final Instant START = Instant.parse("2024-05-01T12:00:00.123Z");
    private static final int SHARD = 2;

    /** Version 1's statements, as that version created them. */
    private static final List<String> VERSION_1 = List.of(
            "CREATE TABLE shard_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
            """
            CREATE TABLE accounts (
              account_id INTEGER PRIMARY KEY,
              name       TEXT NOT NULL UNIQUE,
              balance    INTEGER NOT NULL,
              version    INTEGER NOT NULL CHECK (version >= 0),
              CHECK (name = 'system:reserve' OR balance BETWEEN 0 AND 1000000000)
            )""",
            """
            CREATE TABLE transactions (
              tx_seq     INTEGER PRIMARY KEY,
              user_id    TEXT NOT NULL,
              request_id TEXT NOT NULL,
              type       TEXT NOT NULL CHECK (type IN ('EARN', 'SPEND')),
              amount     INTEGER NOT NULL CHECK (amount BETWEEN 1 AND 1000000000),
              reason     TEXT,
              created_at INTEGER NOT NULL
            )""",
            "CREATE INDEX transactions_by_user ON transactions (user_id, tx_seq)",
            """
            CREATE TABLE entries (
              tx_seq     INTEGER NOT NULL REFERENCES transactions (tx_seq),
              account_id INTEGER NOT NULL REFERENCES accounts (account_id),
              debit      INTEGER NOT NULL CHECK (debit >= 0),
              credit     INTEGER NOT NULL CHECK (credit >= 0),
              CHECK ((debit = 0) <> (credit = 0)),
              PRIMARY KEY (tx_seq, account_id)
            ) WITHOUT ROWID""",
            """
            CREATE TABLE request_results (
              user_id      TEXT NOT NULL,
              request_id   TEXT NOT NULL,
              type         TEXT NOT NULL,
              status       TEXT NOT NULL,
              code         TEXT NOT NULL,
              amount       INTEGER,
              balance      INTEGER NOT NULL,
              tx_seq       INTEGER REFERENCES transactions (tx_seq),
              message      TEXT,
              metadata     TEXT,
              processed_at INTEGER NOT NULL,
              PRIMARY KEY (user_id, request_id)
            ) WITHOUT ROWID""",
            appendOnly("transactions", "UPDATE"),
            appendOnly("transactions", "DELETE"),
            noReplace("transactions", "tx_seq = NEW.tx_seq"),
            appendOnly("entries", "UPDATE"),
            appendOnly("entries", "DELETE"),
            noReplace("entries", "tx_seq = NEW.tx_seq AND account_id = NEW.account_id"),
            appendOnly("request_results", "UPDATE"),
            appendOnly("request_results", "DELETE"),
            noReplace("request_results", "user_id = NEW.user_id AND request_id = NEW.request_id"));

    @TempDir
    Path dir;

    @Test
    void versionOneFile_readsAsTheSameLedger_offlineAndAfterItsUpgrade() throws SQLException {
        Path current = dir.resolve("current.db");
        List<Outcome> outcomes;
        try (ShardStore store = open(current)) {
            outcomes = store.apply(List.of(
                    new Request.Earn("r1", "alice", 100, "quest", "{\"matchId\":\"m-1\"}"),
                    new Request.Spend("r2", "alice", 30, "sku:sword", null),
                    new Request.Spend("r3", "bob", 5, "sku:shield", null),
                    new Request.Earn("r4", "bob", 7, "login", null)));
        }
        assertThat(outcomes).extracting(o -> o.result().status())
                .containsExactly(Status.ACCEPTED, Status.ACCEPTED, Status.REJECTED, Status.ACCEPTED);
        Path old = dir.resolve("shard-2.db");
        writeAsVersionOne(current, old);
        VerificationReport currentReport = ShardVerifier.verify(current);
        VerificationReport oldReport = ShardVerifier.verify(old);

        try (ShardStore store = open(old)) {
            for (Outcome outcome : outcomes) {
                assertThat(store.result(outcome.result().userId(), outcome.result().requestId()))
                        .contains(outcome.result());
            }
            assertThat(store.balance("alice").balance()).isEqualTo(70);
            store.apply(List.of(new Request.Earn("r5", "bob", 1, "login", null)));
        }

        assertThat(oldReport.violations()).isEmpty();
        assertThat(oldReport.stateHash()).isEqualTo(currentReport.stateHash());
        assertThat(query(old, "SELECT value FROM shard_meta WHERE key = 'schema_version'")).containsExactly("2");
        assertThat(query(old, "SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name"))
                .containsExactly("entries_no_delete", "entries_no_update", "request_results_no_delete",
                        "request_results_no_update", "transactions_no_delete", "transactions_no_update");
        assertThat(ShardVerifier.verify(old).violations()).isEmpty();
        // Old rows stay whole; the new one is stored short.
        assertThat(query(old, "SELECT request_id || ':' || (status IS NULL) FROM request_results ORDER BY request_id"))
                .containsExactly("r1:0", "r2:0", "r3:0", "r4:0", "r5:1");
    }

    @Test
    void upgradedFile_keepsRefusingUpdatesAndReplacesOfResults() throws SQLException {
        Path current = dir.resolve("current.db");
        try (ShardStore store = open(current)) {
            store.apply(List.of(new Request.Earn("r1", "alice", 100, "quest", null)));
        }
        Path old = dir.resolve("shard-2.db");
        writeAsVersionOne(current, old);
        open(old).close();

        try (Connection sql = SqliteConnections.open(old, false); Statement statement = sql.createStatement()) {
            assertThatThrownBy(() -> statement.executeUpdate("UPDATE request_results SET balance = 0"))
                    .hasMessageContaining("append-only");
            assertThatThrownBy(() -> statement.executeUpdate("REPLACE INTO request_results (user_id, request_id,"
                    + " type, status, code, amount, balance, tx_seq, message, metadata, processed_at) SELECT user_id,"
                    + " request_id, 'EARN', 'REJECTED', 'INVALID_AMOUNT', 1, 0, NULL, 'x', NULL, 0 FROM request_results"))
                    .hasMessageContaining("append-only");
        }
    }

    /** Copies the ledger in {@code from} into a new file of version 1's schema, every result whole. */
    private static void writeAsVersionOne(Path from, Path to) throws SQLException {
        try (Connection sql = DriverManager.getConnection("jdbc:sqlite:" + to);
                Statement statement = sql.createStatement()) {
            for (String ddl : VERSION_1) {
                statement.execute(ddl);
            }
            statement.execute("ATTACH DATABASE '" + from + "' AS source");
            statement.execute("INSERT INTO shard_meta SELECT key, value FROM source.shard_meta");
            statement.execute("UPDATE shard_meta SET value = '1' WHERE key = 'schema_version'");
            statement.execute("INSERT INTO accounts SELECT * FROM source.accounts");
            statement.execute("INSERT INTO transactions SELECT * FROM source.transactions");
            statement.execute("INSERT INTO entries SELECT * FROM source.entries");
            statement.execute("INSERT INTO request_results SELECT r.user_id, r.request_id, " + StoredResults.COLUMNS
                    + " FROM source.request_results AS r LEFT JOIN source.transactions AS t"
                    + " ON r.status IS NULL AND t.tx_seq = r.tx_seq");
        }
        assertThat(query(to, "SELECT COUNT(*) FROM request_results WHERE status IS NULL")).containsExactly("0");
    }

    private static List<String> query(Path file, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(sql)) {
            while (row.next()) {
                values.add(row.getString(1));
            }
        }
        return values;
    }

    private static ShardStore open(Path file) {
        return ShardStore.open(file, SHARD, new StoreOptions(new SettableClock(START), StoreOptions.DEFAULT_CACHE_TTL));
    }

    private static String appendOnly(String table, String operation) {
        return "CREATE TRIGGER " + table + "_no_" + operation.toLowerCase() + " BEFORE " + operation + " ON " + table
                + " BEGIN SELECT RAISE(ABORT, '" + table + " are append-only'); END";
    }

    private static String noReplace(String table, String sameKey) {
        return "CREATE TRIGGER " + table + "_no_replace BEFORE INSERT ON " + table
                + " WHEN EXISTS (SELECT 1 FROM " + table + " WHERE " + sameKey + ")"
                + " BEGIN SELECT RAISE(ABORT, '" + table + " are append-only'); END";
    }
}
