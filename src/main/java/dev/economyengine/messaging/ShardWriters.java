package dev.economyengine.messaging;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Runs the writes of a restore on one thread per shard. Restore is bound by SQLite's CPU time per
 * record and the shards are separate files with a connection each, so on a machine with more than one
 * core the shards are written side by side while the caller goes on fetching. A shard's writes run in
 * the order they were submitted. A few writes may wait per shard; past that, {@link #submit} blocks, so
 * a slow disk holds back fetching instead of filling the heap.
 */
final class ShardWriters implements AutoCloseable {
    private static final int QUEUED_PER_SHARD = 2;

    private final Map<Integer, ExecutorService> threads = new HashMap<>();
    private final Semaphore queued;
    private final List<Future<Written>> submitted = new ArrayList<>();

    /** What one write did: the records it wrote to a shard, and the changelog offset it reached. */
    record Written(int partition, int records, long nextOffset) {}

    ShardWriters(Collection<Integer> partitions) {
        for (int partition : partitions) {
            threads.put(partition, Executors.newSingleThreadExecutor(runnable -> {
                Thread thread = new Thread(runnable, "economy-restore-" + partition);
                thread.setDaemon(true);
                return thread;
            }));
        }
        this.queued = new Semaphore(QUEUED_PER_SHARD * Math.max(1, partitions.size()));
    }

    void submit(int partition, Callable<Written> write) throws InterruptedException {
        queued.acquire();
        try {
            submitted.add(threads.get(partition).submit(() -> {
                try {
                    return write.call();
                } finally {
                    queued.release();
                }
            }));
        } catch (RuntimeException e) {
            queued.release();
            throw e;
        }
    }

    /** Removes and returns the writes that are done; rethrows the failure of any that failed. */
    List<Written> done() {
        List<Written> done = new ArrayList<>();
        for (Iterator<Future<Written>> it = submitted.iterator(); it.hasNext(); ) {
            Future<Written> write = it.next();
            if (write.isDone()) {
                it.remove();
                done.add(result(write));
            }
        }
        return done;
    }

    /** Waits for every write submitted; rethrows the first failure. */
    List<Written> awaitAll() {
        List<Written> done = new ArrayList<>();
        for (Future<Written> write : submitted) {
            done.add(result(write));
        }
        submitted.clear();
        return done;
    }

    private static Written result(Future<Written> write) {
        try {
            return write.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new IllegalStateException("restoring a shard failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while restoring", e);
        }
    }

    /** Drops the writes not started; waits for those under way, which hold their shard's lock. */
    @Override
    public void close() {
        threads.values().forEach(ExecutorService::shutdownNow);
        try {
            for (ExecutorService thread : threads.values()) {
                thread.awaitTermination(1, TimeUnit.MINUTES);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
