package dev.economyengine.store;

import dev.economyengine.ledger.Outcome;
import dev.economyengine.ledger.Request;
import dev.economyengine.ledger.Result;
import dev.economyengine.ledger.UserBalance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One SQLite ledger file: the writer applies whole batches in one transaction each; readers query
 * balances (through the cache) and history on a connection of their own, which WAL lets run beside
 * the writer. Thread-safe.
 */
public final class ShardStore implements AutoCloseable {
    private static final String CHANGELOG_OFFSET = "changelog_offset";
    private final int shardId;
    private final StoreOptions options;
    private final Connection writer;
    private final Connection reader;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ReentrantLock readLock;
    private final BatchApplier applier;
    private final HistoryQueries queries;
    private final PreparedStatement selectResult;
    private final BalanceCache cache;
    private final Statement control;
    /** Set while a batch that is already published commits to SQLite; readers wait on it. */
    private volatile CountDownLatch readBarrier;
    private final ShardMeta meta;
    /** Absent for an in-memory shard, which has no WAL. */
    private final WalCheckpointer checkpointer;

    private ShardStore(int shardId, StoreOptions options, Connection writer, Connection reader,
            WalCheckpointer checkpointer) throws SQLException {
        this.shardId = shardId;
        this.options = options;
        this.writer = writer;
        this.reader = reader;
        this.checkpointer = checkpointer;
        // An in-memory database lives in a single connection, so reads share the writer's lock.
        this.readLock = writer == reader ? writeLock : new ReentrantLock();
        Schema.create(writer, shardId);
        this.applier = new BatchApplier(writer, shardId);
        this.control = writer.createStatement();
        this.meta = new ShardMeta(writer);
        this.queries = new HistoryQueries(reader, shardId);
        this.selectResult = reader.prepareStatement(StoredResults.SELECT_ONE);
        this.cache = new BalanceCache(options.balanceCacheTtl(),
                () -> TimeUnit.MILLISECONDS.toNanos(options.clock().millis()));
    }

    /** Opens (creating if needed) the shard file; refuses a file that holds another shard. */
    public static ShardStore open(Path file, int shardId, StoreOptions options) {
        requireShardId(shardId);
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Connection writer = SqliteConnections.open(file, false);
            Connection reader = null;
            WalCheckpointer checkpointer = null;
            try {
                // The schema must exist before a second connection prepares statements against it.
                Schema.create(writer, shardId);
                reader = SqliteConnections.open(file, false);
                tuneWriter(writer);
                checkpointer = new WalCheckpointer(SqliteConnections.open(file, false), shardId);
                return new ShardStore(shardId, options, writer, reader, checkpointer);
            } catch (SQLException | RuntimeException e) {
                closeAfterFailedOpen(e, checkpointer, reader, writer);
                throw e;
            }
        } catch (SQLException | java.io.IOException e) {
            throw new StoreException("cannot open shard " + shardId + " at " + file + ": " + e.getMessage(), e);
        }
    }

    public static ShardStore inMemory(int shardId, StoreOptions options) {
        requireShardId(shardId);
        Connection connection = SqliteConnections.openInMemory();
        try {
            return new ShardStore(shardId, options, connection, connection, null);
        } catch (SQLException e) {
            throw new StoreException("cannot create in-memory shard: " + e.getMessage(), e);
        }
    }

    /**
     * The writer's checkpoints run on {@link WalCheckpointer}'s thread, not in its commits; and its page
     * cache holds 64 MiB instead of 2: a batch touches pages all over the result and account indexes
     * (their keys are user ids), and each miss is a read from the file.
     */
    private static void tuneWriter(Connection writer) throws SQLException {
        WalCheckpointer.configureWriter(writer);
        try (Statement statement = writer.createStatement()) {
            statement.execute("PRAGMA cache_size = -65536");
        }
    }

    private static void closeAfterFailedOpen(Exception failure, AutoCloseable... opened) {
        for (AutoCloseable resource : opened) {
            try {
                if (resource != null) {
                    resource.close();
                }
            } catch (Exception e) {
                failure.addSuppressed(e);
            }
        }
    }

    private static void requireShardId(int shardId) {
        if (shardId < 0) {
            throw new IllegalArgumentException("shardId must not be negative, was " + shardId);
        }
    }

    public int shardId() {
        return shardId;
    }

    /**
     * Applies the requests in order, in one SQLite transaction: either every outcome is committed or
     * none is. Returns one outcome per request.
     */
    public List<Outcome> apply(List<Request> requests) {
        if (requests.isEmpty()) {
            return List.of();
        }
        PendingBatch batch = begin(requests);
        batch.commit(OptionalLong.empty());
        return batch.outcomes();
    }

    /**
     * Applies the requests inside an SQLite transaction that stays open until the returned batch is
     * committed or rolled back, so that the caller can first make the outcomes durable elsewhere (the
     * Kafka transaction). The calling thread holds the shard's write lock until then.
     */
    public PendingBatch begin(List<Request> requests) {
        Instant now = options.clock().instant().truncatedTo(ChronoUnit.MILLIS);
        writeLock.lock();
        try {
            control.execute("BEGIN IMMEDIATE");
            try {
                return new PendingBatch(applier.apply(requests, now));
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly();
                throw e;
            }
        } catch (SQLException e) {
            writeLock.unlock();
            throw failure("batch of " + requests.size() + " failed", e);
        } catch (RuntimeException e) {
            writeLock.unlock();
            throw e;
        }
    }

    /**
     * Writes changelog records (outcomes first committed by another worker, or by this one before it
     * died) in one SQLite transaction, and records the changelog offset they bring the shard up to.
     */
    public void restore(List<Outcome> outcomes, long nextChangelogOffset) {
        writeLock.lock();
        try {
            control.execute("BEGIN IMMEDIATE");
            try {
                List<UserBalance> changed = applier.restore(outcomes);
                meta.put(CHANGELOG_OFFSET, Long.toString(nextChangelogOffset));
                control.execute("COMMIT");
                changed.forEach(cache::committed);
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly();
                throw e;
            }
        } catch (SQLException e) {
            throw failure("restore of " + outcomes.size() + " changelog records failed", e);
        } finally {
            writeLock.unlock();
        }
    }

    /** The changelog offset this shard reflects: everything before it is in the file. */
    public long changelogOffset() {
        writeLock.lock();
        try {
            String offset = meta.get(CHANGELOG_OFFSET);
            return offset == null ? 0 : Long.parseLong(offset);
        } catch (SQLException e) {
            throw failure("cannot read the changelog offset", e);
        } finally {
            writeLock.unlock();
        }
    }

    /** A batch applied in an open SQLite transaction, waiting for {@link #commit} or {@link #rollback}. */
    public final class PendingBatch {
        private final BatchApplier.AppliedBatch applied;
        private boolean open = true;

        private PendingBatch(BatchApplier.AppliedBatch applied) {
            this.applied = applied;
        }

        public List<Outcome> outcomes() {
            return applied.outcomes();
        }

        public int shardId() {
            return shardId;
        }

        /**
         * Makes readers of this shard wait until this batch is committed or rolled back. Called just
         * before the batch is made visible elsewhere (the Kafka commit that publishes its results), so
         * that a read after a result is never older than that result, though SQLite commits after Kafka.
         */
        public void holdReads() {
            requireOpen();
            readBarrier = new CountDownLatch(1);
        }

        /** Commits; with a changelog offset, records it in the same SQLite transaction. */
        public void commit(OptionalLong nextChangelogOffset) {
            requireOpen();
            try {
                if (nextChangelogOffset.isPresent()) {
                    meta.put(CHANGELOG_OFFSET, Long.toString(nextChangelogOffset.getAsLong()));
                }
                control.execute("COMMIT");
                // Written through after the commit, under the write lock, so the cache only moves forward.
                applied.changedBalances().forEach(cache::committed);
            } catch (SQLException e) {
                rollbackQuietly();
                throw failure("commit failed", e);
            } finally {
                finish();
            }
        }

        public void rollback() {
            requireOpen();
            try {
                rollbackQuietly();
            } finally {
                finish();
            }
        }

        private void finish() {
            open = false;
            CountDownLatch barrier = readBarrier;
            readBarrier = null;
            if (barrier != null) {
                barrier.countDown();
            }
            writeLock.unlock();
        }

        private void requireOpen() {
            if (!open) {
                throw new IllegalStateException("batch already committed or rolled back");
            }
        }
    }

    public UserBalance balance(String userId) {
        awaitReadBarrier();
        return cache.get(userId, id -> withReader(() -> queries.balance(id)));
    }

    public TransactionPage transactions(String userId, int limit, String cursor) {
        if (limit < 1 || limit > TransactionPage.MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be from 1 to " + TransactionPage.MAX_LIMIT + ", was " + limit);
        }
        long before = cursor == null ? Long.MAX_VALUE : HistoryCursor.decode(cursor, userId);
        return withReader(() -> queries.page(userId, limit, before));
    }

    /** The stored result of a request, as first published (not marked duplicate). */
    public Optional<Result> result(String userId, String requestId) {
        return Optional.ofNullable(withReader(() -> StoredResults.find(selectResult, userId, requestId, shardId)));
    }

    /** The fraction of balance reads served from the cache since the shard was opened. */
    public double cacheHitRate() {
        return cache.hitRate();
    }

    @Override
    public void close() {
        writeLock.lock();
        readLock.lock();
        try {
            if (checkpointer != null) {
                checkpointer.close();
            }
            writer.close();
            if (reader != writer) {
                reader.close();
            }
        } catch (SQLException e) {
            throw new StoreException("cannot close shard " + shardId + ": " + e.getMessage(), e);
        } finally {
            readLock.unlock();
            writeLock.unlock();
        }
    }

    private void rollbackQuietly() {
        try {
            applier.clear();
            control.execute("ROLLBACK");
        } catch (SQLException e) {
            // The transaction is gone with the failure already; nothing was committed.
        }
    }

    private StoreException failure(String what, SQLException e) {
        return new StoreException("shard " + shardId + ": " + what + ": " + e.getMessage(), e);
    }

    /** Waits while a batch whose results are already published is being committed. */
    private void awaitReadBarrier() {
        CountDownLatch barrier = readBarrier;
        if (barrier == null) {
            return;
        }
        try {
            barrier.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for a commit");
        }
    }

    private <T> T withReader(SqlCall<T> call) {
        awaitReadBarrier();
        readLock.lock();
        try {
            return call.run();
        } catch (SQLException e) {
            throw new StoreException("shard " + shardId + ": query failed: " + e.getMessage(), e);
        } finally {
            readLock.unlock();
        }
    }

    @FunctionalInterface
    private interface SqlCall<T> {
        T run() throws SQLException;
    }
}
