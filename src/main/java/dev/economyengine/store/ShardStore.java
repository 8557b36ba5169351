package dev.economyengine.store;

import dev.economyengine.ledger.Economy;
import dev.economyengine.ledger.LimitUsage;
import dev.economyengine.ledger.Outcome;
import dev.economyengine.ledger.Request;
import dev.economyengine.ledger.Result;
import dev.economyengine.ledger.UserBalance;
import dev.economyengine.ledger.UserBalances;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SQLite ledger file. Two ways to write it, never both on one shard at a time:
 * <ul>
 *   <li>{@link #apply}: decide and write a batch in one SQLite transaction, for the embedded
 *       {@link Ledger}; callers on any thread, one batch at a time;
 *   <li>write-behind, for the worker: {@link #decide} a batch against the file and the batches still
 *       being written, publish it elsewhere, then {@link #writeBehind} it, which commits it on the
 *       shard's own writer thread while the worker goes on with the next batch ({@link #discard} it
 *       instead if it was not published). Only one thread decides.
 * </ul>
 * Readers query balances (through the cache) and history on a connection of their own, which WAL lets
 * run beside the writer. Thread-safe.
 */
public final class ShardStore implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ShardStore.class);
    private static final String CHANGELOG_OFFSET = "changelog_offset";
    /**
     * Requests waiting for the writer thread; past that, {@link #writeBehind} waits. It bounds the
     * memory the waiting batches hold and how long a reader may wait for them (about a third of a
     * second of writing on the benchmark's machine).
     */
    private static final int QUEUED_REQUESTS = 10_000;

    private final int shardId;
    private final StoreOptions options;
    private final Connection writer;
    private final Connection reader;
    /** The deciding thread's connection: it reads the file while the writer thread writes it. */
    private final Connection lookup;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ReentrantLock readLock;
    private final ReentrantLock lookupLock;
    private final BatchDecider decider;
    private final BatchWriter batchWriter;
    private final KeyLookups writerLookups;
    private final KeyLookups fileLookups;
    private final HistoryQueries queries;
    private final PreparedStatement selectResult;
    private final BalanceCache cache;
    private final Statement control;
    private final ShardMeta meta;
    /** Absent for an in-memory shard, which has no WAL. */
    private final WalCheckpointer checkpointer;
    private final WriteProgress progress = new WriteProgress();
    private final PendingOutcomes pending = new PendingOutcomes();
    private final Semaphore queuedRequests = new Semaphore(QUEUED_REQUESTS);
    private final ConcurrentLinkedQueue<QueuedWrite> writeQueue = new ConcurrentLinkedQueue<>();
    /** The deciding thread's count of decided batches. */
    private long decidedBatches;
    private ExecutorService writerThread;
    private volatile Future<?> lastWrite;
    private volatile StoreException writeFailure;

    private ShardStore(int shardId, StoreOptions options, Connection writer, Connection reader, Connection lookup,
            WalCheckpointer checkpointer) throws SQLException {
        this.shardId = shardId;
        this.options = options;
        this.writer = writer;
        this.reader = reader;
        this.lookup = lookup;
        this.checkpointer = checkpointer;
        // An in-memory database lives in a single connection, so reads share the writer's lock.
        this.readLock = writer == reader ? writeLock : new ReentrantLock();
        this.lookupLock = writer == lookup ? writeLock : new ReentrantLock();
        Schema.create(writer, shardId, options.economy());
        this.decider = new BatchDecider(shardId, options.economy());
        this.writerLookups = new KeyLookups(writer, shardId);
        this.fileLookups = writer == lookup ? writerLookups : new KeyLookups(lookup, shardId);
        this.batchWriter = new BatchWriter(writer, writerLookups, decider.subjects());
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
            Connection lookup = null;
            WalCheckpointer checkpointer = null;
            try {
                // The schema must exist before a second connection prepares statements against it.
                Schema.create(writer, shardId, options.economy());
                reader = SqliteConnections.open(file, false);
                lookup = SqliteConnections.open(file, false);
                tuneWriter(writer);
                checkpointer = new WalCheckpointer(SqliteConnections.open(file, false), shardId);
                return new ShardStore(shardId, options, writer, reader, lookup, checkpointer);
            } catch (SQLException | RuntimeException e) {
                closeAfterFailedOpen(e, checkpointer, lookup, reader, writer);
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
            return new ShardStore(shardId, options, connection, connection, connection, null);
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
        Instant now = now();
        writeLock.lock();
        try {
            control.execute("BEGIN IMMEDIATE");
            try {
                // Read inside the write transaction: nothing can change between the decision and the write.
                BatchDecider.Decided decided = decider.decide(requests,
                        new PendingOutcomes().startFor(requests, writerLookups, decider.subjects()), now);
                List<UserBalances> changed = batchWriter.write(storedOnly(decided.outcomes()), decided.accounts(),
                        decided.usages());
                control.execute("COMMIT");
                changed.forEach(cache::committed);
                return decided.outcomes();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly();
                throw e;
            }
        } catch (SQLException e) {
            throw failure("batch of " + requests.size() + " failed", e);
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Write-behind, step 1: decides the requests, in order, against the file and the batches decided
     * before and not yet written. Writes nothing. Only one thread may decide.
     */
    public DecidedBatch decide(List<Request> requests) {
        // Read in this order: a failed write counts as written, and is noted as failed before that.
        long written = progress.written();
        StoreException failed = writeFailure;
        if (failed != null) {
            throw new StoreException("shard " + shardId + " failed to write an earlier batch; restore it", failed);
        }
        Instant now = now();
        pending.forgetWritten(written);
        // While the writer is idle, read through its connection, whose page cache holds the file's hot
        // pages; the deciding thread's own connection loses its whole cache at every commit of the writer.
        boolean writerIdle = writeLock.tryLock();
        ReentrantLock lock = writerIdle ? writeLock : lookupLock;
        if (!writerIdle) {
            lock.lock();
        }
        BatchDecider.Start start;
        try {
            // The overlay is pruned before the file is read, so every batch is in one or the other.
            start = pending.startFor(requests, writerIdle ? writerLookups : fileLookups, decider.subjects());
        } catch (SQLException e) {
            throw failure("reading the state of a batch of " + requests.size() + " failed", e);
        } finally {
            lock.unlock();
        }
        BatchDecider.Decided decided = decider.decide(requests, start, now);
        DecidedBatch batch = new DecidedBatch(shardId, ++decidedBatches, decided.outcomes(), decided.accounts(),
                decided.usages());
        pending.add(batch, decided);
        return batch;
    }

    /**
     * Write-behind, step 2, just before the batch is made visible elsewhere (the Kafka commit that
     * publishes its results): from now until it is written, readers of this shard wait for it.
     */
    public void holdReads(DecidedBatch batch) {
        progress.published(batch.number());
    }

    /**
     * Write-behind, step 3, once the batch is published: commits it to the file on the shard's writer
     * thread, with the changelog offset it brings the shard up to, and returns at once (or once the
     * writer has room, if {@value #QUEUED_REQUESTS} requests wait already). The writer takes every batch
     * waiting when it comes round into one SQLite transaction: when it falls behind (a burst) it
     * writes larger transactions, which cost less per request, while the Kafka transactions stay as
     * small as the load allows. If a write fails, the batches queued after it are not written either,
     * {@link #writeFailed()} turns true, and the shard must be restored from the changelog.
     *
     * @param onWritten told how long each SQLite transaction took, on the writer thread
     */
    public void writeBehind(DecidedBatch batch, OptionalLong nextChangelogOffset, LongConsumer onWritten) {
        try {
            queuedRequests.acquire(permits(batch));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting to write shard " + shardId);
        }
        writeQueue.add(new QueuedWrite(batch, nextChangelogOffset, onWritten));
        lastWrite = writerThread().submit(this::writeQueued);
    }

    /** A batch larger than the whole queue takes all of it. */
    private static int permits(DecidedBatch batch) {
        return Math.max(1, Math.min(batch.outcomes().size(), QUEUED_REQUESTS));
    }

    /** A published batch waiting for the writer thread. */
    private record QueuedWrite(DecidedBatch batch, OptionalLong nextChangelogOffset, LongConsumer onWritten) {}

    /**
     * The batch will not be published (its Kafka transaction aborted): forgets it, and with it every
     * decision not yet written, after waiting for the writes already queued. The next batch is decided
     * on the file alone.
     */
    public void discard(DecidedBatch batch) {
        awaitWrites();
        pending.clear();
        progress.written(batch.number());
    }

    /** Whether a write-behind failed: the file is behind what was published until a restore. */
    public boolean writeFailed() {
        return writeFailure != null;
    }

    /** Waits until every batch handed to {@link #writeBehind} is written (or failed). */
    public void awaitWrites() {
        Future<?> last = lastWrite;
        if (last == null) {
            return;
        }
        try {
            last.get();
        } catch (ExecutionException e) {
            // The write records its own failure in writeFailure.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for shard " + shardId + " to be written");
        }
    }

    /** On the writer thread: writes whatever is queued, in one SQLite transaction. */
    private void writeQueued() {
        List<QueuedWrite> taken = new ArrayList<>();
        for (QueuedWrite queued = writeQueue.poll(); queued != null; queued = writeQueue.poll()) {
            taken.add(queued);
        }
        if (taken.isEmpty()) {
            // An earlier turn of this thread took them.
            return;
        }
        try {
            write(taken);
        } finally {
            queuedRequests.release(taken.stream().mapToInt(queued -> permits(queued.batch())).sum());
        }
    }

    private void write(List<QueuedWrite> batches) {
        long started = System.nanoTime();
        long last = batches.get(batches.size() - 1).batch().number();
        writeLock.lock();
        try {
            if (writeFailure != null) {
                // The file misses an earlier batch: these wait for the restore too.
                return;
            }
            List<Outcome> outcomes = new ArrayList<>();
            Map<String, UserAccounts> accounts = new HashMap<>();
            Map<LimitSubjects.UsageKey, LimitUsage> usages = new HashMap<>();
            OptionalLong nextChangelogOffset = OptionalLong.empty();
            for (QueuedWrite queued : batches) {
                outcomes.addAll(storedOnly(queued.batch().outcomes()));
                // A later batch's accounts are the newer: they carry the earlier batches' changes.
                accounts.putAll(queued.batch().accounts());
                usages.putAll(queued.batch().usages());
                if (queued.nextChangelogOffset().isPresent()) {
                    nextChangelogOffset = queued.nextChangelogOffset();
                }
            }
            control.execute("BEGIN IMMEDIATE");
            List<UserBalances> changed = batchWriter.write(outcomes, accounts, usages);
            if (nextChangelogOffset.isPresent()) {
                meta.put(CHANGELOG_OFFSET, Long.toString(nextChangelogOffset.getAsLong()));
            }
            control.execute("COMMIT");
            // Written through after the commit, under the write lock, so the cache only moves forward.
            changed.forEach(cache::committed);
            batches.get(0).onWritten().accept(System.nanoTime() - started);
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly();
            writeFailure = e instanceof StoreException store ? store
                    : new StoreException("shard " + shardId + ": writing batches up to " + last + " failed: " + e, e);
            log.error("shard {}: published batches could not be written; the shard must be restored from the changelog",
                    shardId, e);
        } finally {
            // After writeFailure: whoever sees the batches written also sees that they failed.
            progress.written(last);
            writeLock.unlock();
        }
    }

    private synchronized ExecutorService writerThread() {
        if (writerThread == null) {
            writerThread = Executors.newSingleThreadExecutor(task -> {
                Thread thread = new Thread(task, "economy-shard-writer-" + shardId);
                thread.setDaemon(true);
                return thread;
            });
        }
        return writerThread;
    }

    private static List<Outcome> storedOnly(List<Outcome> outcomes) {
        List<Outcome> stored = new ArrayList<>(outcomes.size());
        for (Outcome outcome : outcomes) {
            if (BatchDecider.stored(outcome)) {
                stored.add(outcome);
            }
        }
        return stored;
    }

    private Instant now() {
        return options.clock().instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /**
     * Writes changelog records (outcomes first committed by another worker, or by this one before it
     * died) in one SQLite transaction, and records the changelog offset they bring the shard up to.
     */
    public void restore(List<Outcome> outcomes, long nextChangelogOffset) {
        awaitWrites();
        writeLock.lock();
        try {
            control.execute("BEGIN IMMEDIATE");
            try {
                List<UserBalances> changed = batchWriter.write(outcomes);
                meta.put(CHANGELOG_OFFSET, Long.toString(nextChangelogOffset));
                control.execute("COMMIT");
                changed.forEach(cache::committed);
                // The file is whole up to the changelog offset just recorded, whatever write failed before.
                writeFailure = null;
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
        awaitWrites();
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

    /** The user's balance in the default currency, and the version of the last change to any balance. */
    public UserBalance balance(String userId) {
        UserBalances balances = balances(userId);
        return new UserBalance(userId, balances.balance(options.economy().defaultCurrency()), balances.version());
    }

    /** Every balance the user holds, and the version of the last change to any of them. */
    public UserBalances balances(String userId) {
        awaitReadBarrier();
        return cache.get(userId, id -> withReader(() -> queries.balances(id)));
    }

    /** The economy this shard decides under. */
    public Economy economy() {
        return options.economy();
    }

    public TransactionPage transactions(String userId, int limit, String cursor) {
        return transactions(userId, limit, cursor, null);
    }

    /**
     * A page of the user's history, newest first; only transactions in {@code currency}, unless it is null.
     * {@code cursor} is null or a previous page's {@code nextCursor}.
     */
    public TransactionPage transactions(String userId, int limit, String cursor, String currency) {
        if (limit < 1 || limit > TransactionPage.MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be from 1 to " + TransactionPage.MAX_LIMIT + ", was " + limit);
        }
        long before = cursor == null ? Long.MAX_VALUE : HistoryCursor.decode(cursor, userId);
        return withReader(() -> queries.page(userId, limit, before, currency));
    }

    /**
     * What the user's accepted earns used of the limits, by subject ({@code action:<name>} or
     * {@code currency:<code>}): only subjects with limits, and only once the user earned under them.
     */
    public Map<String, LimitUsage> limitUsages(String userId) {
        return withReader(() -> queries.usages(userId));
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
        awaitWrites();
        synchronized (this) {
            if (writerThread != null) {
                writerThread.shutdown();
            }
        }
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
            if (lookup != writer) {
                lookup.close();
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
            batchWriter.clear();
            control.execute("ROLLBACK");
        } catch (SQLException e) {
            // The transaction is gone with the failure already; nothing was committed.
        }
    }

    private StoreException failure(String what, SQLException e) {
        return new StoreException("shard " + shardId + ": " + what + ": " + e.getMessage(), e);
    }

    /** Waits while a batch whose results are already published is being written. */
    private void awaitReadBarrier() {
        try {
            progress.awaitPublished();
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
