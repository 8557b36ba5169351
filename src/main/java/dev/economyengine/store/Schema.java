package dev.economyengine.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The shard schema. History is append-only by construction: triggers refuse UPDATE and DELETE on
 * transactions, entries and request results (and REPLACE, whose implicit delete fires them on every
 * connection this program opens: {@link SqliteConnections}), and CHECK constraints keep user balances
 * in range, so even a bug in this program cannot rewrite or overdraw the ledger.
 */
final class Schema {
    static final int VERSION = 2;
    /** For messages: the versions {@link #readableOffline} accepts. */
    static final String VERSIONS_READABLE_OFFLINE = "1 and " + VERSION;
    static final long RESERVE_ACCOUNT_ID = 1;

    /**
     * The idempotency record of every request. An accepted request's row holds only what its
     * transaction does not: the balance it left and the metadata it carried; its type, amount and
     * time are the transaction's, and its status and code are ACCEPTED and OK ({@link StoredResults}
     * reads them through a join). A rejected request's row holds the whole result. Half the bytes
     * per accepted request mean half the pages a batch dirties in this table, whose rows land all
     * over the file (the key is the user). Version 1 kept the whole result in every row; such rows
     * are still read as they are.
     */
    private static final String RESULTS_TABLE = """
            CREATE TABLE IF NOT EXISTS request_results (
              user_id      TEXT NOT NULL,
              request_id   TEXT NOT NULL,
              type         TEXT,
              status       TEXT,
              code         TEXT,
              amount       INTEGER,
              balance      INTEGER NOT NULL,
              tx_seq       INTEGER REFERENCES transactions (tx_seq),
              message      TEXT,
              metadata     TEXT,
              processed_at INTEGER,
              CHECK (status IS NOT NULL AND type IS NOT NULL AND code IS NOT NULL AND processed_at IS NOT NULL
                     OR status IS NULL AND type IS NULL AND code IS NULL AND amount IS NULL AND message IS NULL
                        AND processed_at IS NULL AND tx_seq IS NOT NULL),
              PRIMARY KEY (user_id, request_id)
            ) WITHOUT ROWID""";

    private static final String META_TABLE = """
            CREATE TABLE IF NOT EXISTS shard_meta (
              key   TEXT PRIMARY KEY,
              value TEXT NOT NULL
            ) WITHOUT ROWID""";

    private static final List<String> STATEMENTS = List.of(
            META_TABLE,
            """
            CREATE TABLE IF NOT EXISTS accounts (
              account_id INTEGER PRIMARY KEY,
              name       TEXT NOT NULL UNIQUE,
              balance    INTEGER NOT NULL,
              version    INTEGER NOT NULL CHECK (version >= 0),
              CHECK (name = 'system:reserve' OR balance BETWEEN 0 AND 1000000000)
            )""",
            """
            CREATE TABLE IF NOT EXISTS transactions (
              tx_seq     INTEGER PRIMARY KEY,
              user_id    TEXT NOT NULL,
              request_id TEXT NOT NULL,
              type       TEXT NOT NULL CHECK (type IN ('EARN', 'SPEND')),
              amount     INTEGER NOT NULL CHECK (amount BETWEEN 1 AND 1000000000),
              reason     TEXT,
              created_at INTEGER NOT NULL
            )""",
            "CREATE INDEX IF NOT EXISTS transactions_by_user ON transactions (user_id, tx_seq)",
            """
            CREATE TABLE IF NOT EXISTS entries (
              tx_seq     INTEGER NOT NULL REFERENCES transactions (tx_seq),
              account_id INTEGER NOT NULL REFERENCES accounts (account_id),
              debit      INTEGER NOT NULL CHECK (debit >= 0),
              credit     INTEGER NOT NULL CHECK (credit >= 0),
              CHECK ((debit = 0) <> (credit = 0)),
              PRIMARY KEY (tx_seq, account_id)
            ) WITHOUT ROWID""",
            RESULTS_TABLE,
            appendOnly("transactions"),
            appendOnlyDelete("transactions"),
            appendOnly("entries"),
            appendOnlyDelete("entries"),
            appendOnly("request_results"),
            appendOnlyDelete("request_results"),
            "INSERT OR IGNORE INTO accounts (account_id, name, balance, version) VALUES ("
                    + RESERVE_ACCOUNT_ID + ", 'system:reserve', 0, 0)");

    private Schema() {}

    /**
     * Whether the offline tools, which never write, can read a file of this schema version: version 1
     * too, whose results are all whole rows, which every query here reads as well.
     */
    static boolean readableOffline(String version) {
        return "1".equals(version) || Integer.toString(VERSION).equals(version);
    }

    static void create(Connection connection, int shardId) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(META_TABLE);
        }
        ShardMeta meta = new ShardMeta(connection);
        String version = meta.get("schema_version");
        if (version != null && Integer.parseInt(version) == 1) {
            migrateFromVersion1(connection, meta);
        } else if (version != null && Integer.parseInt(version) != VERSION) {
            throw new StoreException("shard schema version " + version + " is not supported (expected " + VERSION + ")");
        }
        try (Statement statement = connection.createStatement()) {
            for (String sql : STATEMENTS) {
                statement.execute(sql);
            }
        }
        if (version == null) {
            meta.put("schema_version", Integer.toString(VERSION));
            meta.put("shard_id", Integer.toString(shardId));
        }
        String storedShard = meta.get("shard_id");
        if (Integer.parseInt(storedShard) != shardId) {
            throw new StoreException("this file holds shard " + storedShard + ", not shard " + shardId);
        }
    }

    /**
     * Version 1 guarded each insert with a trigger against REPLACE (a lookup per row, a fifth of the
     * cost of a write) and required every column of a result. Its rows stay as they are: they are
     * whole results, which version 2 reads too. One SQLite transaction: all of it happens or none.
     */
    private static void migrateFromVersion1(Connection connection, ShardMeta meta) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            for (String table : List.of("transactions", "entries", "request_results")) {
                statement.execute("DROP TRIGGER IF EXISTS " + table + "_no_replace");
            }
            statement.execute(RESULTS_TABLE.replace("request_results", "request_results_v2"));
            String columns = "user_id, request_id, type, status, code, amount, balance, tx_seq, message, metadata,"
                    + " processed_at";
            statement.execute("INSERT INTO request_results_v2 (" + columns + ") SELECT " + columns
                    + " FROM request_results");
            // Dropping a table fires no delete trigger; its own triggers go with it and are created
            // again, on the new table, by the schema's statements.
            statement.execute("DROP TABLE request_results");
            statement.execute("ALTER TABLE request_results_v2 RENAME TO request_results");
            for (String sql : STATEMENTS) {
                statement.execute(sql);
            }
            meta.put("schema_version", Integer.toString(VERSION));
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    private static String appendOnly(String table) {
        return "CREATE TRIGGER IF NOT EXISTS " + table + "_no_update BEFORE UPDATE ON " + table
                + " BEGIN SELECT RAISE(ABORT, '" + table + " are append-only'); END";
    }

    private static String appendOnlyDelete(String table) {
        return "CREATE TRIGGER IF NOT EXISTS " + table + "_no_delete BEFORE DELETE ON " + table
                + " BEGIN SELECT RAISE(ABORT, '" + table + " are append-only'); END";
    }
}
