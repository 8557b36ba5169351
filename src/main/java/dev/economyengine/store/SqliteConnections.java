package dev.economyengine.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import org.sqlite.SQLiteConfig;

/** Opens SQLite connections with the settings the ledger relies on. */
final class SqliteConnections {
    private SqliteConnections() {}

    static Connection open(Path file, boolean readOnly) {
        SQLiteConfig config = new SQLiteConfig();
        // WAL lets readers (balance and history queries) run while the worker writes.
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        // NORMAL: in WAL mode a commit then survives a crash of the process but may be lost with the
        // machine's power, and the file is never corrupted. That is enough: the shard is a copy of the
        // changelog, which Kafka commits before SQLite, so a shard that lost its last commits is behind
        // its recorded changelog offset and is caught up by restore, as after a crash between the two
        // commits. FULL would add an fsync to every batch's commit on every shard.
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        // IMMEDIATE takes the write lock at BEGIN, so two writers can never interleave a read-check-write.
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        // Foreign keys are declared but not enforced: every batch writes accounts and transactions
        // before the entries and results that name them, in one SQLite transaction, and `verify`
        // checks every reference. Enforcing them cost a lookup per reference, 6% of the throughput.
        config.enforceForeignKeys(false);
        config.setBusyTimeout(10_000);
        config.setReadOnly(readOnly);
        refuseReplace(config);
        return open("jdbc:sqlite:" + file.toAbsolutePath(), config);
    }

    /** For the offline tools: SQLite can neither create the file nor write to it, not even a checkpoint. */
    static Connection openReadOnly(Path file) {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        // A worker's commit or checkpoint may hold a lock for a moment; wait rather than fail.
        config.setBusyTimeout(10_000);
        try {
            return config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
        } catch (SQLException e) {
            throw new StoreException("cannot open " + file + " read-only: " + e.getMessage(), e);
        }
    }

    static Connection openInMemory() {
        SQLiteConfig config = new SQLiteConfig();
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        refuseReplace(config);
        return open("jdbc:sqlite::memory:", config);
    }

    /**
     * REPLACE (and INSERT OR REPLACE) deletes the row in its way, and SQLite fires delete triggers for
     * that only with recursive triggers on: with them, the schema's append-only triggers refuse it.
     * The schema has no trigger that writes, so nothing else changes. A guard in the schema itself, a
     * trigger on every insert, cost a fifth of the writer's time.
     */
    private static void refuseReplace(SQLiteConfig config) {
        config.enableRecursiveTriggers(true);
    }

    private static Connection open(String url, SQLiteConfig config) {
        try {
            return config.createConnection(url);
        } catch (SQLException e) {
            throw new StoreException("cannot open " + url + ": " + e.getMessage(), e);
        }
    }
}
