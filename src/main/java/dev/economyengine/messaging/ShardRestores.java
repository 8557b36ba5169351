package dev.economyengine.messaging;

import dev.economyengine.store.ShardStore;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;

/**
 * Restores shards on a thread of its own, one job at a time, so that the poll loop goes on polling
 * while a long changelog is copied: the worker stays a member of its group however long a restore takes
 * (a restore inside the rebalance callback would outlast {@code max.poll.interval.ms} and get the worker
 * evicted). A job opens its shards' files, waits until no transaction is open on their changelog
 * partitions, moves the shards to RESTORING and copies ({@link ChangelogRestorer}). Started and collected by the poll loop's thread only.
 */
final class ShardRestores implements AutoCloseable {
    private final ChangelogRestorer restorer;
    private final ShardOpener opener;
    private final ExecutorService thread;
    private volatile boolean cancelled;
    private Job current;

    /** A job under way or finished, and its shards. */
    record Job(Map<Integer, ShardLifecycle> shards, Future<Map<Integer, Long>> restored) {}

    /**
     * @param stopping whether the worker is stopping: a job under way then ends as soon as its writes
     *     in flight are done
     */
    ShardRestores(ShardOpener opener, Consumer<byte[], byte[]> restoreConsumer, Admin admin, String changelogTopic,
            Duration stallTimeout, Duration openTransactionWait, WorkerMetrics metrics, BooleanSupplier stopping,
            String threadName) {
        this.opener = opener;
        this.restorer = new ChangelogRestorer(restoreConsumer, admin, changelogTopic, stallTimeout,
                openTransactionWait, metrics, () -> cancelled || stopping.getAsBoolean());
        this.thread = Executors.newSingleThreadExecutor(task -> {
            Thread restoreThread = new Thread(task, threadName);
            restoreThread.setDaemon(true);
            return restoreThread;
        });
    }

    boolean running() {
        return current != null;
    }

    boolean includes(int partition) {
        return current != null && current.shards().containsKey(partition);
    }

    /** Starts restoring the shards, each in AWAITING_STABLE_CHANGELOG; opens the files that are not. */
    void start(Map<Integer, ShardLifecycle> shards) {
        if (current != null) {
            throw new IllegalStateException("a restore is already under way for shards " + current.shards().keySet());
        }
        Map<Integer, ShardLifecycle> job = Map.copyOf(shards);
        cancelled = false;
        current = new Job(job, thread.submit(() -> restore(job)));
    }

    private Map<Integer, Long> restore(Map<Integer, ShardLifecycle> shards) {
        shards.forEach((partition, shard) -> {
            if (shard.store().isEmpty()) {
                shard.opened(opener.open(partition));
            }
        });
        Map<Integer, Long> ends = restorer.stableEnds(shards.keySet());
        Map<Integer, ShardStore> stores = new TreeMap<>();
        shards.forEach((partition, shard) -> {
            ShardStore store = shard.requireStore();
            shard.transitionTo(ShardState.RESTORING, "no transaction open on the changelog; from offset "
                    + store.changelogOffset() + " to " + ends.get(partition));
            stores.put(partition, store);
        });
        return restorer.restore(stores, ends);
    }

    /** The job, once it has finished (successfully or not); the next may then start. */
    Optional<Job> finished() {
        if (current == null || !current.restored().isDone()) {
            return Optional.empty();
        }
        Job done = current;
        current = null;
        return Optional.of(done);
    }

    /** Ends the job under way, after its writes in flight, and returns it; for a rebalance or a stop. */
    Optional<Job> cancel() {
        if (current == null) {
            return Optional.empty();
        }
        cancelled = true;
        Job job = current;
        current = null;
        try {
            job.restored().get();
        } catch (ExecutionException | CancellationException e) {
            // Expected: the copy stopped with ChangelogRestorer.Stopped, or had failed anyway.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Optional.of(job);
    }

    /** The records each shard of a finished job restored; throws what made the job fail. */
    static Map<Integer, Long> outcome(Job job) throws ExecutionException {
        try {
            return job.restored().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ExecutionException(e);
        }
    }

    @Override
    public void close() {
        cancel();
        thread.shutdownNow();
        restorer.close();
    }
}
