package dev.economyengine.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The shard schema. History is append-only by construction: triggers refuse UPDATE and DELETE on
 * transactions, entries and request results, and CHECK constraints keep user balances in range,
 * so even a bug in this program cannot rewrite or overdraw the ledger.
 */
final class Schema {
    static final int VERSION = 1;
    static final long RESERVE_ACCOUNT_ID = 1;

    private static final List<String> STATEMENTS = List.of(
            """
            CREATE TABLE IF NOT EXISTS shard_meta (
              key   TEXT PRIMARY KEY,
              value TEXT NOT NULL
            ) WITHOUT ROWID""",
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
            """
            CREATE TABLE IF NOT EXISTS request_results (
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
            appendOnly("transactions"),
            appendOnlyDelete("transactions"),
            noReplace("transactions", "tx_seq = NEW.tx_seq"),
            appendOnly("entries"),
            appendOnlyDelete("entries"),
            noReplace("entries", "tx_seq = NEW.tx_seq AND account_id = NEW.account_id"),
            appendOnly("request_results"),
            appendOnlyDelete("request_results"),
            noReplace("request_results", "user_id = NEW.user_id AND request_id = NEW.request_id"),
            "INSERT OR IGNORE INTO accounts (account_id, name, balance, version) VALUES ("
                    + RESERVE_ACCOUNT_ID + ", 'system:reserve', 0, 0)");

    private Schema() {}

    static void create(Connection connection, int shardId) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String sql : STATEMENTS) {
                statement.execute(sql);
            }
        }
        ShardMeta meta = new ShardMeta(connection);
        String version = meta.get("schema_version");
        if (version == null) {
            meta.put("schema_version", Integer.toString(VERSION));
            meta.put("shard_id", Integer.toString(shardId));
        } else if (Integer.parseInt(version) != VERSION) {
            throw new StoreException("shard schema version " + version + " is not supported (expected " + VERSION + ")");
        }
        String storedShard = meta.get("shard_id");
        if (Integer.parseInt(storedShard) != shardId) {
            throw new StoreException("this file holds shard " + storedShard + ", not shard " + shardId);
        }
    }

    private static String appendOnly(String table) {
        return "CREATE TRIGGER IF NOT EXISTS " + table + "_no_update BEFORE UPDATE ON " + table
                + " BEGIN SELECT RAISE(ABORT, '" + table + " are append-only'); END";
    }

    /** INSERT OR REPLACE deletes the old row without firing DELETE triggers; refuse it here. */
    private static String noReplace(String table, String sameKey) {
        return "CREATE TRIGGER IF NOT EXISTS " + table + "_no_replace BEFORE INSERT ON " + table
                + " WHEN EXISTS (SELECT 1 FROM " + table + " WHERE " + sameKey + ")"
                + " BEGIN SELECT RAISE(ABORT, '" + table + " are append-only'); END";
    }

    private static String appendOnlyDelete(String table) {
        return "CREATE TRIGGER IF NOT EXISTS " + table + "_no_delete BEFORE DELETE ON " + table
                + " BEGIN SELECT RAISE(ABORT, '" + table + " are append-only'); END";
    }
}
