package dev.economyengine.store;

import dev.economyengine.ledger.Accounts;
import dev.economyengine.ledger.Currency;
import dev.economyengine.ledger.Economy;
import dev.economyengine.ledger.Money;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The shard schema. History is append-only by construction: triggers refuse UPDATE and DELETE on
 * transactions, entries and request results (and REPLACE, whose implicit delete fires them on every
 * connection this program opens: {@link SqliteConnections}), and CHECK constraints and triggers keep
 * user balances within 0 and their currency's cap, so even a bug in this program cannot rewrite or
 * overdraw the ledger.
 *
 * <p>Version 3 holds several currencies: an account is a (name, currency) pair, so a user has one per
 * currency and so does the reserve; a transaction names its currency; {@code currencies} records each
 * currency's cap; {@code limit_usage} keeps what the earn limits need. A file of version 1 or 2 is
 * upgraded when it is opened, in one SQLite transaction: everything in it becomes the default currency's.
 */
final class Schema {
    static final int VERSION = 3;
    /** For messages: the versions {@link #readableOffline} accepts. */
    static final String VERSIONS_READABLE_OFFLINE = "1 to " + VERSION;
    /**
     * The currency the offline tools give a file of version 1 or 2, which never named one: {@code coins},
     * the one currency of an economy file of the first format.
     */
    static final String OFFLINE_CURRENCY_OF_EARLIER_VERSIONS = Currency.COINS;

    /**
     * The idempotency record of every request. An accepted request's row holds only what its
     * transaction does not: the balance it left and the metadata it carried; its type, currency, amount
     * and time are the transaction's, and its status and code are ACCEPTED and OK ({@link StoredResults}
     * reads them through a join). A rejected request's row holds the whole result. Half the bytes
     * per accepted request mean half the pages a batch dirties in this table, whose rows land all
     * over the file (the key is the user). Version 1 kept the whole result in every row; such rows
     * are still read as they are.
     */
    private static final String RESULTS_TABLE = """
            CREATE TABLE IF NOT EXISTS request_results (
              user_id         TEXT NOT NULL,
              request_id      TEXT NOT NULL,
              type            TEXT,
              status          TEXT,
              code            TEXT,
              amount          INTEGER,
              currency        TEXT,
              balance         INTEGER NOT NULL,
              tx_seq          INTEGER REFERENCES transactions (tx_seq),
              message         TEXT,
              metadata        TEXT,
              next_allowed_at INTEGER,
              processed_at    INTEGER,
              CHECK (status IS NOT NULL AND type IS NOT NULL AND code IS NOT NULL AND processed_at IS NOT NULL
                     OR status IS NULL AND type IS NULL AND code IS NULL AND amount IS NULL AND currency IS NULL
                        AND message IS NULL AND next_allowed_at IS NULL AND processed_at IS NULL
                        AND tx_seq IS NOT NULL),
              PRIMARY KEY (user_id, request_id)
            ) WITHOUT ROWID""";

    private static final String ACCOUNTS_TABLE = """
            CREATE TABLE IF NOT EXISTS accounts (
              account_id INTEGER PRIMARY KEY,
              name       TEXT NOT NULL,
              currency   TEXT NOT NULL,
              balance    INTEGER NOT NULL,
              version    INTEGER NOT NULL CHECK (version >= 0),
              CHECK (name = 'system:reserve' OR balance BETWEEN 0 AND %d),
              UNIQUE (name, currency)
            )""".formatted(Money.MAX_CAP);

    private static final String TRANSACTIONS_TABLE = """
            CREATE TABLE IF NOT EXISTS transactions (
              tx_seq        INTEGER PRIMARY KEY,
              user_id       TEXT NOT NULL,
              request_id    TEXT NOT NULL,
              type          TEXT NOT NULL CHECK (type IN ('EARN', 'SPEND')),
              currency      TEXT NOT NULL,
              amount        INTEGER NOT NULL CHECK (amount BETWEEN 1 AND %d),
              reason        TEXT,
              created_at    INTEGER NOT NULL,
              action        TEXT,
              rules_version TEXT,
              recorded_at   INTEGER,
              CHECK (type = 'EARN' OR action IS NULL AND rules_version IS NULL AND recorded_at IS NULL)
            )""".formatted(Money.MAX_CAP);

    private static final String META_TABLE = """
            CREATE TABLE IF NOT EXISTS shard_meta (
              key   TEXT PRIMARY KEY,
              value TEXT NOT NULL
            ) WITHOUT ROWID""";

    private static final List<String> STATEMENTS = List.of(
            META_TABLE,
            """
            CREATE TABLE IF NOT EXISTS currencies (
              code TEXT PRIMARY KEY,
              cap  INTEGER NOT NULL CHECK (cap BETWEEN 1 AND %d)
            ) WITHOUT ROWID""".formatted(Money.MAX_CAP),
            ACCOUNTS_TABLE,
            // A balance within its currency's cap. Only a credit is held to it: a cap lowered in the file
            // must not stop a user spending down a balance above the new cap. 'currencies' keeps the
            // largest cap each currency ever had, so the cap is the one the balance was credited under.
            withinCap("INSERT", "NEW.balance"),
            withinCap("UPDATE OF balance", "NEW.balance > OLD.balance AND NEW.balance"),
            TRANSACTIONS_TABLE,
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
            // What a user's earn limits need of the past, per action and per currency: see LimitUsageCodec.
            // Rewritten as earns come, so not append-only: it is derived from the transactions.
            """
            CREATE TABLE IF NOT EXISTS limit_usage (
              user_id TEXT NOT NULL,
              subject TEXT NOT NULL,
              usage   TEXT NOT NULL,
              PRIMARY KEY (user_id, subject)
            ) WITHOUT ROWID""",
            appendOnly("transactions"),
            appendOnlyDelete("transactions"),
            appendOnly("entries"),
            appendOnlyDelete("entries"),
            appendOnly("request_results"),
            appendOnlyDelete("request_results"));

    private Schema() {}

    /**
     * Whether the offline tools, which never write, can read a file of this schema version: versions 1
     * and 2 through {@link EarlierVersionViews}, which show them as version 3.
     */
    static boolean readableOffline(String version) {
        return "1".equals(version) || "2".equals(version) || Integer.toString(VERSION).equals(version);
    }

    /**
     * Creates the schema, or upgrades a file of an earlier version; then records every currency of the
     * economy, with its cap and its reserve account.
     */
    static void create(Connection connection, int shardId, Economy economy) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(META_TABLE);
        }
        ShardMeta meta = new ShardMeta(connection);
        String version = meta.get("schema_version");
        if (version == null) {
            inTransaction(connection, () -> {
                execute(connection, STATEMENTS);
                meta.put("schema_version", Integer.toString(VERSION));
                meta.put("shard_id", Integer.toString(shardId));
            });
        } else if (version.equals("1") || version.equals("2")) {
            inTransaction(connection, () -> upgrade(connection, meta, Integer.parseInt(version), economy));
        } else if (Integer.parseInt(version) != VERSION) {
            throw new StoreException("shard schema version " + version + " is not supported (expected " + VERSION + ")");
        }
        String storedShard = meta.get("shard_id");
        if (Integer.parseInt(storedShard) != shardId) {
            throw new StoreException("this file holds shard " + storedShard + ", not shard " + shardId);
        }
        inTransaction(connection, () -> recordCurrencies(connection, economy));
    }

    /**
     * Versions 1 and 2 to 3: every balance, transaction and stored result becomes the default currency's.
     * Accounts, transactions and results are copied into tables of the new shape (a CHECK cannot be
     * altered in place: amounts may now reach 10^15); entries keep their rows, as account numbers do.
     * Version 1 also guarded each insert with a trigger against REPLACE and kept every result whole;
     * the triggers go, the whole rows stay, and are read as they are. Rejected results name the default
     * currency, but for those that named no usable action ({@link #LEGACY_RESULT_CURRENCY}).
     */
    private static void upgrade(Connection connection, ShardMeta meta, int from, Economy economy) throws SQLException {
        String currency = economy.defaultCurrency();
        try (Statement statement = connection.createStatement()) {
            for (String table : List.of("transactions", "entries", "request_results")) {
                for (String trigger : List.of("_no_replace", "_no_update", "_no_delete")) {
                    statement.execute("DROP TRIGGER IF EXISTS " + table + trigger);
                }
            }
            // Without IF NOT EXISTS: a table left in the way stops the upgrade rather than joining it.
            statement.execute(ACCOUNTS_TABLE.replace("IF NOT EXISTS accounts", "accounts_v3"));
            statement.execute(TRANSACTIONS_TABLE.replace("IF NOT EXISTS transactions", "transactions_v3"));
            statement.execute(RESULTS_TABLE.replace("IF NOT EXISTS request_results", "request_results_v3"));
        }
        try (PreparedStatement accounts = connection.prepareStatement("""
                INSERT INTO accounts_v3 (account_id, name, currency, balance, version)
                SELECT account_id, name, ?, balance, version FROM accounts""");
                PreparedStatement transactions = connection.prepareStatement("""
                INSERT INTO transactions_v3 (tx_seq, user_id, request_id, type, currency, amount, reason, created_at)
                SELECT tx_seq, user_id, request_id, type, ?, amount, reason, created_at FROM transactions""");
                PreparedStatement results = connection.prepareStatement("""
                INSERT INTO request_results_v3 (user_id, request_id, type, status, code, amount, currency, balance,
                  tx_seq, message, metadata, processed_at)
                SELECT user_id, request_id, type, status, code, amount, %s, balance, tx_seq, message, metadata,
                  processed_at
                FROM request_results""".formatted(LEGACY_RESULT_CURRENCY))) {
            accounts.setString(1, currency);
            accounts.executeUpdate();
            transactions.setString(1, currency);
            transactions.executeUpdate();
            results.setString(1, currency);
            results.executeUpdate();
        }
        try (Statement statement = connection.createStatement()) {
            // Dropping a table fires no delete trigger; the schema's statements create the triggers and
            // the index again, on the new tables.
            for (String table : List.of("accounts", "transactions", "request_results")) {
                statement.execute("DROP TABLE " + table);
                statement.execute("ALTER TABLE " + table + "_v3 RENAME TO " + table);
            }
        }
        execute(connection, STATEMENTS);
        // Version 1 and 2 balances were capped at 1,000,000,000: the cap they were credited under.
        try (PreparedStatement cap = connection.prepareStatement("INSERT INTO currencies (code, cap) VALUES (?, ?)")) {
            cap.setString(1, currency);
            cap.setLong(2, Money.MAX_BALANCE);
            cap.executeUpdate();
        }
        meta.put("schema_version", Integer.toString(VERSION));
        meta.put("upgraded_from_version", Integer.toString(from));
    }

    /**
     * The currency of a stored result of version 1 or 2, from its row (whose {@code ?} is the default
     * currency): none for a short row, which takes its transaction's; none for a request that named no
     * usable action (an unknown one, or an earn refused for a bad field: such results were not kept
     * apart); the default currency for the rest. The changelog's format 1 reads the same way.
     */
    static final String LEGACY_RESULT_CURRENCY = "CASE WHEN status IS NULL THEN NULL"
            + " WHEN code = 'UNKNOWN_ACTION' OR (type = 'EARN' AND code = 'INVALID_REQUEST') THEN NULL ELSE ? END";

    /**
     * Records each currency of the economy with its cap (or keeps the larger cap recorded before: see the
     * cap triggers) and gives it a reserve account.
     */
    private static void recordCurrencies(Connection connection, Economy economy) throws SQLException {
        try (PreparedStatement cap = connection.prepareStatement("""
                INSERT INTO currencies (code, cap) VALUES (?, ?)
                ON CONFLICT (code) DO UPDATE SET cap = max(cap, excluded.cap)""");
                PreparedStatement reserve = connection.prepareStatement(
                        "INSERT OR IGNORE INTO accounts (name, currency, balance, version) VALUES (?, ?, 0, 0)")) {
            for (Currency currency : economy.currencies()) {
                cap.setString(1, currency.code());
                cap.setLong(2, currency.cap());
                cap.executeUpdate();
                reserve.setString(1, Accounts.RESERVE);
                reserve.setString(2, currency.code());
                reserve.executeUpdate();
            }
        }
    }

    /**
     * For a currency the changelog holds and the economy does not (decided under another economy file):
     * recorded with the largest cap there is, so that the file takes what was decided elsewhere.
     */
    static void recordForeignCurrency(Connection connection, String code) throws SQLException {
        try (PreparedStatement cap = connection.prepareStatement(
                        "INSERT OR IGNORE INTO currencies (code, cap) VALUES (?, " + Money.MAX_CAP + ")");
                PreparedStatement reserve = connection.prepareStatement(
                        "INSERT OR IGNORE INTO accounts (name, currency, balance, version) VALUES (?, ?, 0, 0)")) {
            cap.setString(1, code);
            cap.executeUpdate();
            reserve.setString(1, Accounts.RESERVE);
            reserve.setString(2, code);
            reserve.executeUpdate();
        }
    }

    private static void execute(Connection connection, List<String> statements) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    /** One SQLite transaction: all of it happens or none. */
    private static void inTransaction(Connection connection, SqlWork work) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            work.run();
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    @FunctionalInterface
    private interface SqlWork {
        void run() throws SQLException;
    }

    private static String withinCap(String event, String credited) {
        String name = event.startsWith("INSERT") ? "accounts_within_cap_on_insert" : "accounts_within_cap_on_update";
        return "CREATE TRIGGER IF NOT EXISTS " + name + " BEFORE " + event + " ON accounts"
                + " WHEN NEW.name <> '" + Accounts.RESERVE + "' AND " + credited
                + " > (SELECT cap FROM currencies WHERE code = NEW.currency)"
                + " BEGIN SELECT RAISE(ABORT, 'a balance may not pass its currency''s cap'); END";
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
