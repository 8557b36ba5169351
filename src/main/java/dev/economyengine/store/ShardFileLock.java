package dev.economyengine.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

/**
 * Asks SQLite whether some connection, in this process or another, has a shard file open, as a running
 * worker does: a WAL database is opened in exclusive locking mode, which needs an exclusive lock on the
 * file, and every open WAL connection holds a shared lock on it for as long as it is open. The file is
 * never created, and its content is left as it was (SQLite may fold a leftover {@code -wal} into it on
 * close, which changes its bytes, not its ledger).
 */
public final class ShardFileLock {
    private static final int SQLITE_BUSY = 5;
    private static final int SQLITE_LOCKED = 6;
    private static final int SQLITE_CORRUPT = 11;
    private static final int SQLITE_NOTADB = 26;

    /** What the probe found: in use, free, or not an SQLite database at all (so no worker can use it). */
    public enum State { IN_USE, FREE, NOT_A_DATABASE }

    /** The state, and for a file that is not a database, SQLite's words for it. */
    public record Probe(State state, Optional<String> problem) {}

    private ShardFileLock() {}

    /** Throws {@link SQLException} for anything else that stops SQLite opening the file, such as its permissions. */
    public static Probe probe(Path file) throws SQLException {
        if (!Files.exists(file)) {
            return new Probe(State.FREE, Optional.empty());
        }
        SQLiteConfig config = new SQLiteConfig();
        // Open an existing file for writing, never create one.
        config.resetOpenMode(SQLiteOpenMode.CREATE);
        config.setLockingMode(SQLiteConfig.LockingMode.EXCLUSIVE);
        // A worker holds its lock for as long as it runs: waiting longer would not help.
        config.setBusyTimeout(1_000);
        try (Connection connection = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
                Statement statement = connection.createStatement();
                // The first read takes the locks.
                ResultSet row = statement.executeQuery("SELECT COUNT(*) FROM sqlite_master")) {
            row.next();
            return new Probe(State.FREE, Optional.empty());
        } catch (SQLException e) {
            int primary = e.getErrorCode() & 0xFF;
            if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
                return new Probe(State.IN_USE, Optional.empty());
            }
            if (primary == SQLITE_NOTADB || primary == SQLITE_CORRUPT) {
                return new Probe(State.NOT_A_DATABASE, Optional.of(e.getMessage()));
            }
            throw e;
        }
    }
}
