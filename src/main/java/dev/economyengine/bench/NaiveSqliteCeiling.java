package dev.economyengine.bench;

import dev.economyengine.ledger.RequestType;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteConfig;

/**
 * Ceiling (b): the obvious way to keep balances in one SQLite file. Per transfer one INSERT of the
 * transaction and two balance upserts (the user's row and the shared reserve row), keyed by account
 * name, statement by statement, committing every 1000 transfers; same journal and synchronous
 * settings as the worker's shards. No idempotency record, no entries, no checks: a rate the worker,
 * which does all of that, should beat by batching.
 */
final class NaiveSqliteCeiling {
    private static final int COMMIT_EVERY = 1000;

    private NaiveSqliteCeiling() {}

    record Figures(double transfersPerSecond, int transfers, double seconds) {}

    static Figures run(Path file, RequestMix mix, int transfers) throws SQLException {
        try (Connection connection = open(file)) {
            createSchema(connection);
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement(
                            "INSERT INTO transfers (user_id, request_id, amount, created_at) VALUES (?, ?, ?, ?)");
                    PreparedStatement upsert = connection.prepareStatement("""
                            INSERT INTO balances (account, balance) VALUES (?, ?)
                            ON CONFLICT (account) DO UPDATE SET balance = balance + excluded.balance""")) {
                long started = System.nanoTime();
                for (int i = 1; i <= transfers; i++) {
                    RequestMix.RequestRecord request = mix.next();
                    long delta = request.type() == RequestType.EARN ? 50 : -50;
                    insert.setString(1, request.userId());
                    insert.setString(2, request.requestId());
                    insert.setLong(3, Math.abs(delta));
                    insert.setLong(4, System.currentTimeMillis());
                    insert.executeUpdate();
                    upsert(upsert, "user:" + request.userId(), delta);
                    upsert(upsert, "system:reserve", -delta);
                    if (i % COMMIT_EVERY == 0 || i == transfers) {
                        connection.commit();
                    }
                }
                double seconds = (System.nanoTime() - started) / 1e9;
                return new Figures(transfers / seconds, transfers, seconds);
            }
        }
    }

    private static void upsert(PreparedStatement upsert, String account, long delta) throws SQLException {
        upsert.setString(1, account);
        upsert.setLong(2, delta);
        upsert.executeUpdate();
    }

    private static Connection open(Path file) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        // As the shards (SqliteConnections): WAL, and the same durability of a commit.
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        return config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
    }

    private static void createSchema(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("""
                    CREATE TABLE transfers (
                      id         INTEGER PRIMARY KEY,
                      user_id    TEXT NOT NULL,
                      request_id TEXT NOT NULL,
                      amount     INTEGER NOT NULL,
                      created_at INTEGER NOT NULL)""");
            statement.execute("CREATE TABLE balances (account TEXT PRIMARY KEY, balance INTEGER NOT NULL)");
        }
    }
}
