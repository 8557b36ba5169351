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
 * which does all of that, should beat by what the issue lists (batching, aggregated updates of hot
 * rows, integer keys, prepared statements reused, no per-record round trips).
 *
 * <p>So the ceiling prepares each statement where it runs, {@link Statements#PREPARED_PER_USE}, as
 * that list implies. The same loop with its statements prepared once, {@link Statements#REUSED}, is
 * measured too: a stricter reference, with no target.
 */
final class NaiveSqliteCeiling {
    private static final int COMMIT_EVERY = 1000;
    private static final String INSERT_TRANSFER =
            "INSERT INTO transfers (user_id, request_id, amount, created_at) VALUES (?, ?, ?, ?)";
    private static final String UPSERT_BALANCE = """
            INSERT INTO balances (account, balance) VALUES (?, ?)
            ON CONFLICT (account) DO UPDATE SET balance = balance + excluded.balance""";

    /** How the loop gets its statements. */
    enum Statements {
        /** Prepared for each use and closed after it: the naive loop the targets are set against. */
        PREPARED_PER_USE,
        /** Prepared once, before the loop. */
        REUSED
    }

    private NaiveSqliteCeiling() {}

    record Figures(double transfersPerSecond, int transfers, double seconds) {}

    static Figures run(Path file, RequestMix mix, int transfers, Statements statements) throws SQLException {
        try (Connection connection = open(file)) {
            createSchema(connection);
            connection.setAutoCommit(false);
            try (StatementSource source = statements == Statements.REUSED
                    ? new Reused(connection)
                    : new PreparedPerUse(connection)) {
                long started = System.nanoTime();
                for (int i = 1; i <= transfers; i++) {
                    RequestMix.RequestRecord request = mix.next();
                    long delta = request.type() == RequestType.EARN ? 50 : -50;
                    PreparedStatement insert = source.insert();
                    insert.setString(1, request.userId());
                    insert.setString(2, request.requestId());
                    insert.setLong(3, Math.abs(delta));
                    insert.setLong(4, System.currentTimeMillis());
                    insert.executeUpdate();
                    source.done(insert);
                    upsert(source, "user:" + request.userId(), delta);
                    upsert(source, "system:reserve", -delta);
                    if (i % COMMIT_EVERY == 0 || i == transfers) {
                        connection.commit();
                    }
                }
                double seconds = (System.nanoTime() - started) / 1e9;
                return new Figures(transfers / seconds, transfers, seconds);
            }
        }
    }

    private static void upsert(StatementSource source, String account, long delta) throws SQLException {
        PreparedStatement upsert = source.upsert();
        upsert.setString(1, account);
        upsert.setLong(2, delta);
        upsert.executeUpdate();
        source.done(upsert);
    }

    /** Hands the loop its two statements, and takes each back once it has run. */
    private interface StatementSource extends AutoCloseable {
        PreparedStatement insert() throws SQLException;

        PreparedStatement upsert() throws SQLException;

        void done(PreparedStatement statement) throws SQLException;

        @Override
        void close() throws SQLException;
    }

    private record PreparedPerUse(Connection connection) implements StatementSource {
        @Override
        public PreparedStatement insert() throws SQLException {
            return connection.prepareStatement(INSERT_TRANSFER);
        }

        @Override
        public PreparedStatement upsert() throws SQLException {
            return connection.prepareStatement(UPSERT_BALANCE);
        }

        @Override
        public void done(PreparedStatement statement) throws SQLException {
            statement.close();
        }

        @Override
        public void close() {}
    }

    private record Reused(PreparedStatement insert, PreparedStatement upsert) implements StatementSource {
        Reused(Connection connection) throws SQLException {
            this(connection.prepareStatement(INSERT_TRANSFER), connection.prepareStatement(UPSERT_BALANCE));
        }

        @Override
        public void done(PreparedStatement statement) {}

        @Override
        public void close() throws SQLException {
            try {
                insert.close();
            } finally {
                upsert.close();
            }
        }
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
