package dev.economyengine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.economyengine.ledger.Currency;
import dev.economyengine.ledger.Economy;
import dev.economyengine.ledger.Request;
import dev.economyengine.ledger.Result;
import dev.economyengine.ledger.Transaction;
import dev.economyengine.messaging.ChangelogCodec;
import dev.economyengine.testing.SettableClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shard files written by schema versions 1 and 2 are read by the offline tools as they are, and
 * upgraded on open in one SQLite transaction: everything in them becomes the default currency's.
 */
class SchemaMigrationTest {
    private static final Instant START = Instant.parse("2024-05-01T12:00:00.123Z");
    private static final Economy GOLD_AND_GEMS = new Economy("gold",
            List.of(new Currency("gold", 1_000_000_000L), new Currency("gems", 1_000_000L)), List.of());

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

    /**
     * A shard file written by the worker of schema version 2 (changelog format 1), with the changelog
     * records it published: earns and spends of three users over three batches, with metadata, and a
     * rejection of every code. How they were made: {@code src/test/resources/upgrade/README.md}.
     */
    static final Path FIXTURE = Path.of("src", "test", "resources", "upgrade", "schema-2");
    private static final int FIXTURE_SHARD = 1;

    @TempDir
    Path dir;

    @Test
    void fileOfVersionTwo_isUpgradedOnOpen_keepingEveryBalanceHistoryAndResult_asTheDefaultCurrencys()
            throws Exception {
        Path file = copyOfFixture();
        List<String> resultsBefore = query(file, "SELECT user_id || '/' || request_id FROM request_results"
                + " ORDER BY user_id, request_id");

        try (ShardStore store = open(file, GOLD_AND_GEMS)) {
            assertThat(store.balances("alice").balances()).containsExactly(Map.entry("gold", 0L));
            assertThat(store.balances("frank").balances()).containsExactly(Map.entry("gold", 10L));
            assertThat(store.balances("heidi").balances()).containsExactly(Map.entry("gold", 999_999_990L));
            assertThat(store.balance("frank").version()).isEqualTo(3);
            assertThat(store.transactions("alice", 10, null).transactions()).extracting(Transaction::currency)
                    .containsOnly("gold").hasSize(4);
            Result order = store.result("frank", "order-4").orElseThrow();
            assertThat(order.currency()).isEqualTo("gold");
            assertThat(order.balance()).isEqualTo(10);
            assertThat(store.result("frank", "order-2").orElseThrow().currency()).isEqualTo("gold");
            assertThat(store.result("frank", "fly-1").orElseThrow().currency()).as("named no usable action").isNull();
            assertThat(store.result("heidi", "bad-2").orElseThrow().currency()).as("an earn without action").isNull();
            assertThat(store.result("alice", "bad-1").orElseThrow().currency()).as("a spend").isEqualTo("gold");

            store.apply(List.of(new Request.Earn("chest-1", "alice", "gems", 5, null, "chest", null, null),
                    new Request.Spend("order-5", "frank", 10, "sku:potion", null)));
            assertThat(store.balances("alice").balances()).containsOnly(Map.entry("gold", 0L), Map.entry("gems", 5L));
            assertThat(store.balance("alice").version()).as("counts on from version 2's").isEqualTo(5);
        }

        assertThat(query(file, "SELECT value FROM shard_meta WHERE key = 'schema_version'")).containsExactly("3");
        assertThat(query(file, "SELECT user_id || '/' || request_id FROM request_results ORDER BY user_id, request_id"))
                .containsAll(resultsBefore).hasSize(resultsBefore.size() + 2);
        assertThat(ShardVerifier.verify(file).violations()).isEmpty();
    }

    @Test
    void upgradedFile_hasTheStateHashOfTheShardRebuiltFromItsChangelog() throws Exception {
        Path upgraded = copyOfFixture();
        open(upgraded, Economy.coinsOnly()).close();
        Path rebuilt = dir.resolve("rebuilt").resolve("shard-1.db");
        List<String> records = Files.readAllLines(FIXTURE.resolve("changelog-1.jsonl"), StandardCharsets.UTF_8);
        ChangelogCodec codec = new ChangelogCodec("coins");
        try (ShardStore store = open(rebuilt, Economy.coinsOnly())) {
            store.restore(records.stream().map(record -> codec.decode(record.getBytes(StandardCharsets.UTF_8))).toList(),
                    records.size());
        }

        VerificationReport fromUpgrade = ShardVerifier.verify(upgraded);
        VerificationReport fromChangelog = ShardVerifier.verify(rebuilt);

        assertThat(fromUpgrade.violations()).isEmpty();
        assertThat(fromChangelog.violations()).isEmpty();
        assertThat(fromUpgrade.stateHash()).isEqualTo(fromChangelog.stateHash());
        assertThat(fromUpgrade.transactions()).isEqualTo(8);
    }

    @Test
    void fileOfVersionTwoOrOne_readOfflineWithoutAnUpgrade_hasTheHashOfItsUpgrade() throws Exception {
        Path two = copyOfFixture();
        Path one = dir.resolve("one").resolve("shard-1.db");
        writeAsVersionOne(two, one);
        VerificationReport twoOffline = ShardVerifier.verify(two);
        VerificationReport oneOffline = ShardVerifier.verify(one);
        assertThat(query(two, "SELECT value FROM shard_meta WHERE key = 'schema_version'")).as("read only")
                .containsExactly("2");

        open(two, Economy.coinsOnly()).close();
        open(one, Economy.coinsOnly()).close();

        assertThat(twoOffline.violations()).isEmpty();
        assertThat(oneOffline.violations()).isEmpty();
        assertThat(oneOffline.stateHash()).isEqualTo(twoOffline.stateHash());
        assertThat(ShardVerifier.verify(two).stateHash()).isEqualTo(twoOffline.stateHash());
        assertThat(ShardVerifier.verify(one).stateHash()).isEqualTo(twoOffline.stateHash());
        // Version 1's results stay whole; version 2's short rows stay short.
        assertThat(query(one, "SELECT COUNT(*) FROM request_results WHERE status IS NULL")).containsExactly("0");
        assertThat(query(two, "SELECT COUNT(*) FROM request_results WHERE status IS NULL")).containsExactly("8");
    }

    @Test
    void upgradedFile_keepsRefusingUpdatesAndReplacesOfResults_andBalancesPastTheirCap() throws SQLException {
        Path file = copyOfFixture();
        open(file, Economy.coinsOnly()).close();

        assertThat(query(file, "SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name"))
                .containsExactly("accounts_within_cap_on_insert", "accounts_within_cap_on_update", "entries_no_delete",
                        "entries_no_update", "request_results_no_delete", "request_results_no_update",
                        "transactions_no_delete", "transactions_no_update");
        try (Connection sql = SqliteConnections.open(file, false); Statement statement = sql.createStatement()) {
            assertThatThrownBy(() -> statement.executeUpdate("UPDATE request_results SET balance = 0"))
                    .hasMessageContaining("append-only");
            assertThatThrownBy(() -> statement.executeUpdate("REPLACE INTO request_results (user_id, request_id,"
                    + " type, status, code, amount, balance, tx_seq, message, metadata, processed_at) SELECT user_id,"
                    + " request_id, 'EARN', 'REJECTED', 'INVALID_AMOUNT', 1, 0, NULL, 'x', NULL, 0 FROM request_results"))
                    .hasMessageContaining("append-only");
            assertThatThrownBy(() -> statement.executeUpdate(
                    "UPDATE accounts SET balance = 1000000001 WHERE name = 'user:heidi'"))
                    .hasMessageContaining("cap");
        }
    }

    @Test
    void upgradeThatFails_leavesTheFileOfVersionTwoAsItWas() throws SQLException, IOException {
        Path file = copyOfFixture();
        try (Connection sql = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = sql.createStatement()) {
            // In the way of the upgrade's copy of the results, the last of its copies.
            statement.execute("CREATE TABLE request_results_v3 (x INTEGER)");
        }
        byte[] before = Files.readAllBytes(file);

        assertThatThrownBy(() -> open(file, Economy.coinsOnly())).isInstanceOf(StoreException.class)
                .hasMessageContaining("request_results_v3");

        assertThat(query(file, "SELECT value FROM shard_meta WHERE key = 'schema_version'")).containsExactly("2");
        assertThat(query(file, "SELECT COUNT(*) FROM accounts")).containsExactly("4");
        assertThat(query(file, "SELECT name FROM pragma_table_info('accounts')")).doesNotContain("currency");
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }

    private Path copyOfFixture() {
        try {
            Path copy = Files.createDirectories(dir.resolve("two")).resolve("shard-1.db");
            Files.copy(FIXTURE.resolve("shard-1.db"), copy);
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies the ledger of a file of version 2 into a new file of version 1's schema, every result whole. */
    private static void writeAsVersionOne(Path from, Path to) throws SQLException, IOException {
        Files.createDirectories(to.getParent());
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
            statement.execute("""
                    INSERT INTO request_results SELECT r.user_id, r.request_id, COALESCE(r.type, t.type),
                      COALESCE(r.status, 'ACCEPTED'), COALESCE(r.code, 'OK'), COALESCE(r.amount, t.amount), r.balance,
                      r.tx_seq, r.message, r.metadata, COALESCE(r.processed_at, t.created_at)
                    FROM source.request_results AS r
                    LEFT JOIN source.transactions AS t ON r.status IS NULL AND t.tx_seq = r.tx_seq""");
        }
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

    private static ShardStore open(Path file, Economy economy) {
        return ShardStore.open(file, FIXTURE_SHARD, new StoreOptions(new SettableClock(START),
                StoreOptions.DEFAULT_CACHE_TTL, economy));
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
