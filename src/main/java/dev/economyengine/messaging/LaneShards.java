package dev.economyengine.messaging;

import dev.economyengine.store.ShardStore;
import dev.economyengine.store.StoreException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One lane's shards, and the steps that move each through its {@link ShardState}s. The poll loop calls
 * {@link #advance} once per loop; each step is short, so that the loop keeps polling and the worker
 * stays in its group:
 * <ul>
 *   <li>AWAITING_COMMITTED_OFFSETS (from ASSIGNED, or from FAILED once its retry is due): fetch the group's committed offsets of the request partitions, which
 *       a read_committed consumer asks for stable: while a transaction (a paused previous owner's) holds
 *       them the fetch times out, and is tried again next loop;
 *   <li>AWAITING_STABLE_CHANGELOG, RESTORING: on the restore thread ({@link ShardRestores}), which
 *       also opens the file (an open may migrate its schema, which takes as long as it takes);
 *   <li>restored: seek the request partitions to the committed offsets (or as {@code auto.offset.reset}
 *       says, when there are none), resume them, LIVE.
 * </ul>
 * A shard's request partitions are paused whenever it is not live, so the loop never polls records that
 * it cannot apply; leaving LIVE drops the records polled and not applied, which the seek on the way back
 * reads again.
 *
 * <p>Threads: the poll loop's, including the rebalance callbacks; {@link #readiness} from any thread.
 */
final class LaneShards implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LaneShards.class);
    /** How long one loop may wait for stable committed offsets before polling again. */
    static final Duration COMMITTED_FETCH_TIMEOUT = Duration.ofMillis(500);
    private static final long RETRY_BASE_NANOS = Duration.ofMillis(100).toNanos();
    private static final long RETRY_MAX_NANOS = Duration.ofSeconds(5).toNanos();
    private static final long WAIT_LOG_EVERY_NANOS = Duration.ofSeconds(5).toNanos();

    private final Consumer<byte[], byte[]> consumer;
    private final Topics topics;
    private final OwnedShards registry;
    private final ShardRestores restores;
    private final OffsetReset offsetReset;
    private final long mergeMaxWaitNanos;
    private final Map<Integer, ShardLifecycle> shards = new ConcurrentSkipListMap<>();
    private volatile boolean assignedOnce;
    private long lastWaitLogged;

    LaneShards(Consumer<byte[], byte[]> consumer, Topics topics, OwnedShards registry,
            ShardRestores restores, OffsetReset offsetReset, Duration mergeMaxWait) {
        this.consumer = consumer;
        this.topics = topics;
        this.registry = registry;
        this.restores = restores;
        this.offsetReset = offsetReset;
        this.mergeMaxWaitNanos = mergeMaxWait.toNanos();
    }

    /** In the rebalance callback: the shards of newly assigned partitions, paused until live. */
    void assigned(Set<Integer> partitions) {
        for (int partition : partitions) {
            if (shards.containsKey(partition)) {
                continue;
            }
            List<TopicPartition> requests = topics.requestTopics().stream()
                    .map(topic -> new TopicPartition(topic, partition)).toList();
            ShardLifecycle shard = new ShardLifecycle(partition, requests, new PartitionMerger(mergeMaxWaitNanos));
            consumer.pause(requests);
            shards.put(partition, shard);
            registry.put(shard);
            log.info("shard {}: ASSIGNED", partition);
        }
        assignedOnce = true;
    }

    /** In the rebalance callback: closes the shards of revoked or lost partitions. */
    void revoked(Collection<Integer> partitions) {
        if (partitions.stream().anyMatch(restores::includes)) {
            restores.cancel().ifPresent(job -> job.shards().values().stream()
                    .filter(shard -> !partitions.contains(shard.partition()))
                    .forEach(shard -> fail(shard, "its restore was interrupted by a rebalance", false)));
        }
        for (int partition : partitions) {
            ShardLifecycle shard = shards.remove(partition);
            if (shard != null) {
                close(shard, "partition revoked");
            }
        }
    }

    /** One step for every shard that can move; on the poll loop's thread. */
    void advance(boolean producerReady) {
        long now = System.nanoTime();
        for (ShardLifecycle shard : shards.values()) {
            if (shard.state() == ShardState.ASSIGNED) {
                shard.transitionTo(ShardState.AWAITING_COMMITTED_OFFSETS, "fetching the group's committed offsets");
            } else if (shard.state() == ShardState.FAILED && shard.retryDue(now) && producerReady) {
                shard.transitionTo(ShardState.AWAITING_COMMITTED_OFFSETS, "going round again");
            }
        }
        if (producerReady) {
            // A failed batch's transaction is decided only by a new producer's initTransactions: until then
            // the stable offsets wait for it.
            fetchCommittedOffsets();
        }
        restores.finished().ifPresent(this::goLive);
        if (!restores.running()) {
            Map<Integer, ShardLifecycle> waiting = inState(ShardState.AWAITING_STABLE_CHANGELOG);
            if (!waiting.isEmpty()) {
                restores.start(waiting);
            }
        }
    }

    private void fetchCommittedOffsets() {
        Map<Integer, ShardLifecycle> waiting = inState(ShardState.AWAITING_COMMITTED_OFFSETS);
        if (waiting.isEmpty()) {
            return;
        }
        Set<TopicPartition> requests = new HashSet<>();
        waiting.values().forEach(shard -> requests.addAll(shard.requestPartitions()));
        Map<TopicPartition, OffsetAndMetadata> committed;
        try {
            committed = consumer.committed(requests, COMMITTED_FETCH_TIMEOUT);
        } catch (RetriableException e) {
            long now = System.nanoTime();
            if (now - lastWaitLogged > WAIT_LOG_EVERY_NANOS) {
                log.info("committed offsets of shards {} not known yet (a transaction holds them, or the group"
                        + " coordinator cannot be reached): trying again", waiting.keySet());
                lastWaitLogged = now;
            }
            return;
        } catch (KafkaException e) {
            waiting.values().forEach(shard -> fail(shard, "cannot fetch its committed offsets: " + e, true));
            return;
        }
        for (ShardLifecycle shard : waiting.values()) {
            shard.committed(committed);
            shard.transitionTo(ShardState.AWAITING_STABLE_CHANGELOG, "committed offsets " + shard.requestPartitions()
                    .stream().map(p -> p.topic() + "=" + shard.committedOffset(p).map(o -> "" + o.offset()).orElse("none"))
                    .collect(Collectors.joining(", ")));
        }
    }

    private void goLive(ShardRestores.Job job) {
        Map<Integer, Long> restored;
        try {
            restored = ShardRestores.outcome(job);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof KafkaException || cause instanceof StoreException) {
                job.shards().values().forEach(shard -> fail(shard, "restore failed: " + cause, true));
                return;
            }
            throw new IllegalStateException("restoring shards " + job.shards().keySet() + " failed", cause);
        }
        for (ShardLifecycle shard : job.shards().values()) {
            try {
                List<String> positions = new ArrayList<>();
                for (TopicPartition partition : shard.requestPartitions()) {
                    positions.add(partition.topic() + "@" + seek(shard, partition));
                }
                consumer.resume(shard.requestPartitions());
                shard.transitionTo(ShardState.LIVE, "restored " + restored.getOrDefault(shard.partition(), 0L)
                        + " changelog records; requests from " + String.join(", ", positions));
            } catch (KafkaException e) {
                fail(shard, "cannot position its request partitions: " + e, true);
            }
        }
    }

    /**
     * Seeks to the committed offset; with none, back to where the partition first went live, so that
     * a rewind after a failed batch loses nothing; the first time, as {@code auto.offset.reset} says.
     */
    private long seek(ShardLifecycle shard, TopicPartition partition) {
        Optional<OffsetAndMetadata> committed = shard.committedOffset(partition);
        if (committed.isPresent()) {
            consumer.seek(partition, committed.get());
            return committed.get().offset();
        }
        Optional<Long> first = shard.firstPosition(partition);
        if (first.isPresent()) {
            consumer.seek(partition, first.get());
            return first.get();
        }
        offsetReset.apply(consumer, partition);
        long position = consumer.position(partition);
        shard.rememberFirstPosition(partition, position);
        return position;
    }

    /** After a failed batch: every live shard goes round again before it applies anything more. */
    void failLive(String why) {
        shards.values().stream().filter(shard -> shard.state().isLive()).forEach(shard -> fail(shard, why, false));
    }

    /** Sends the partition's shard, if live, round its lifecycle again. */
    void fail(int partition, String why) {
        live(partition).ifPresent(shard -> fail(shard, why, false));
    }

    /** Shards whose write-behind failed are behind Kafka: they go round again, restoring what they missed. */
    void failWritesThatFailed() {
        for (ShardLifecycle shard : shards.values()) {
            if (shard.state().isLive() && shard.store().map(ShardStore::writeFailed).orElse(false)) {
                fail(shard, "a batch that Kafka committed could not be written to its file", false);
            }
        }
    }

    /**
     * Leaves the shard FAILED: paused, its unapplied records dropped, its file closed once its writes are
     * done. It goes round again after a backoff that grows with each failure in a row when {@code backOff},
     * else at once.
     */
    private void fail(ShardLifecycle shard, String why, boolean backOff) {
        consumer.pause(shard.requestPartitions());
        shard.merger().clear();
        if (shard.state() != ShardState.FAILED) {
            shard.transitionTo(ShardState.FAILED, why);
        } else {
            log.warn("shard {}: still FAILED ({})", shard.partition(), why);
        }
        closeStore(shard);
        long now = System.nanoTime();
        shard.scheduleRetry(now, backOff ? RETRY_BASE_NANOS : 0, RETRY_MAX_NANOS);
    }

    private void close(ShardLifecycle shard, String why) {
        shard.transitionTo(ShardState.CLOSING, why);
        // Not applied, so not committed: whoever owns the partition next reads them again.
        shard.merger().clear();
        registry.remove(shard);
        closeStore(shard);
        shard.transitionTo(ShardState.CLOSED, "file closed");
    }

    /** Closes the file, once its writer has written everything handed to it. */
    private static void closeStore(ShardLifecycle shard) {
        ShardStore store = shard.detachStore();
        if (store == null) {
            return;
        }
        try {
            store.close();
        } catch (StoreException e) {
            log.warn("closing shard {}: {}", shard.partition(), e.getMessage());
        }
    }

    /** The live shard of the partition, if any. */
    Optional<ShardLifecycle> live(int partition) {
        ShardLifecycle shard = shards.get(partition);
        return shard != null && shard.state().isLive() ? Optional.of(shard) : Optional.empty();
    }

    Collection<ShardLifecycle> all() {
        return shards.values();
    }

    Set<Integer> livePartitions() {
        return shards.values().stream().filter(shard -> shard.state().isLive()).map(ShardLifecycle::partition)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * How long the loop may wait in poll before a shard needs a step on its thread: none while one is
     * ASSIGNED or awaiting its offsets, else until the next FAILED shard's retry.
     */
    long nanosUntilWork(long now) {
        long wait = Long.MAX_VALUE;
        for (ShardLifecycle shard : shards.values()) {
            switch (shard.state()) {
                case ASSIGNED, AWAITING_COMMITTED_OFFSETS -> wait = 0;
                case FAILED -> wait = Math.min(wait, shard.nanosUntilRetry(now));
                default -> { }
            }
        }
        return wait;
    }

    /** Ready once the lane has had an assignment and every shard of it is live; else why not. */
    Optional<String> notReadyBecause() {
        if (!assignedOnce) {
            return Optional.of("joining the consumer group");
        }
        Map<Integer, ShardState> notLive = new TreeMap<>();
        shards.values().stream().filter(shard -> !shard.state().isLive())
                .forEach(shard -> notLive.put(shard.partition(), shard.state()));
        if (notLive.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("shards not live yet: " + notLive.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")));
    }

    private Map<Integer, ShardLifecycle> inState(ShardState state) {
        Map<Integer, ShardLifecycle> matching = new TreeMap<>();
        shards.forEach((partition, shard) -> {
            if (shard.state() == state) {
                matching.put(partition, shard);
            }
        });
        return matching;
    }

    @Override
    public void close() {
        restores.cancel();
        List.copyOf(shards.values()).forEach(shard -> close(shard, "worker stopping"));
        shards.clear();
        restores.close();
    }
}
