package dev.economyengine.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checkpoints a shard's WAL on a thread of its own, on a connection of its own. SQLite's automatic
 * checkpoint runs inside the COMMIT that takes the WAL past 1000 pages, so every few batches one would
 * pay for copying pages back into the database file and for two fsyncs, on the worker's thread, in
 * the middle of the exactly-once protocol (and in every request's latency). Here PASSIVE checkpoints
 * run every {@value #INTERVAL_MS} ms; they never wait for, or block, the writer or the readers.
 *
 * <p>But the WAL only starts over from its beginning when a write transaction begins after a complete
 * checkpoint, which a writer that never pauses (a long burst) may never allow: so once the WAL holds
 * more than {@value #RESTART_AT_FRAMES} pages, a RESTART checkpoint copies the last pages while the
 * writer waits, and the next batch starts the WAL over. The writer keeps an automatic checkpoint at
 * {@value #WRITER_SAFETY_NET_PAGES} pages in case this thread falls behind.
 */
final class WalCheckpointer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WalCheckpointer.class);
    private static final long INTERVAL_MS = 200;
    /** 32 MiB of 4 KiB pages. */
    private static final int RESTART_AT_FRAMES = 8192;
    /** 256 MiB of 4 KiB pages. */
    private static final int WRITER_SAFETY_NET_PAGES = 65_536;
    /** One thread checkpoints every shard of the process, one after the other: the disk is shared anyway. */
    private static final ScheduledExecutorService THREAD = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "sqlite-checkpoint");
        thread.setDaemon(true);
        return thread;
    });

    private final Connection connection;
    private final int shardId;
    private final ReentrantLock lock = new ReentrantLock();
    private final ScheduledFuture<?> task;
    private boolean closed;

    /** Takes over {@code connection}, and closes it with this checkpointer. */
    WalCheckpointer(Connection connection, int shardId) {
        this.connection = connection;
        this.shardId = shardId;
        this.task = THREAD.scheduleWithFixedDelay(this::checkpoint, INTERVAL_MS, INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    /** Moves the automatic checkpoint of the connection that writes the shard out of the way. */
    static void configureWriter(Connection writer) throws SQLException {
        try (Statement statement = writer.createStatement()) {
            statement.execute("PRAGMA wal_autocheckpoint = " + WRITER_SAFETY_NET_PAGES);
        }
    }

    private void checkpoint() {
        lock.lock();
        try (Statement statement = connection.createStatement()) {
            if (!closed && framesInWal(statement) > RESTART_AT_FRAMES) {
                statement.execute("PRAGMA wal_checkpoint(RESTART)");
            }
        } catch (SQLException | RuntimeException e) {
            // Never let the task die: without it the WAL would grow without end. Try again next time.
            log.warn("shard {}: WAL checkpoint failed: {}", shardId, e.toString());
        } finally {
            lock.unlock();
        }
    }

    /** Runs a PASSIVE checkpoint; returns the pages the WAL holds (copied back or not). */
    private static int framesInWal(Statement statement) throws SQLException {
        try (ResultSet row = statement.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
            return row.next() ? row.getInt(2) : 0;
        }
    }

    @Override
    public void close() throws SQLException {
        task.cancel(false);
        lock.lock();
        try {
            closed = true;
            connection.close();
        } finally {
            lock.unlock();
        }
    }
}
