package dev.economyengine.messaging;

import dev.economyengine.store.ShardStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One shard in one worker: its {@link ShardState}, its file while open, the records polled for it and
 * not yet applied, and where its request partitions resume when it goes live. Every change of state goes
 * through {@link #transitionTo}, which refuses a transition the state machine does not have and logs
 * each one.
 *
 * <p>Threads: the poll loop drives it, except the AWAITING_STABLE_CHANGELOG to RESTORING transition,
 * made on the restore thread; the state and the file are read by the query API's threads.
 */
final class ShardLifecycle {
    private static final Logger log = LoggerFactory.getLogger(ShardLifecycle.class);

    private final int partition;
    private final List<TopicPartition> requestPartitions;
    private final PartitionMerger merger;
    private volatile ShardState state = ShardState.ASSIGNED;
    private volatile ShardStore store;
    /** The group's committed offsets, fetched stable: where the request partitions resume. */
    private Map<TopicPartition, OffsetAndMetadata> committed = Map.of();
    /** Where a partition with no committed offset first went live: the rewind goes back there. */
    private final Map<TopicPartition, Long> firstPositions = new HashMap<>();
    private int failures;
    private long retryAtNanos;

    ShardLifecycle(int partition, List<TopicPartition> requestPartitions, PartitionMerger merger) {
        this.partition = partition;
        this.requestPartitions = List.copyOf(requestPartitions);
        this.merger = merger;
    }

    int partition() {
        return partition;
    }

    ShardState state() {
        return state;
    }

    /** Partition p of each request topic. */
    List<TopicPartition> requestPartitions() {
        return requestPartitions;
    }

    PartitionMerger merger() {
        return merger;
    }

    /** The open file, if any: a shard that is not live may have none. */
    Optional<ShardStore> store() {
        return Optional.ofNullable(store);
    }

    /** The file, only while the shard is live. */
    Optional<ShardStore> liveStore() {
        ShardStore open = store;
        return state.isLive() ? Optional.ofNullable(open) : Optional.empty();
    }

    ShardStore requireStore() {
        ShardStore open = store;
        if (open == null) {
            throw new IllegalStateException("shard " + partition + " has no open file in state " + state);
        }
        return open;
    }

    void opened(ShardStore opened) {
        this.store = opened;
    }

    /** Forgets the file, once closed. */
    ShardStore detachStore() {
        ShardStore open = store;
        store = null;
        return open;
    }

    synchronized void transitionTo(ShardState next, String why) {
        ShardState previous = state;
        if (!previous.canGoTo(next)) {
            throw new IllegalStateException("shard " + partition + " cannot go from " + previous + " to " + next
                    + " (" + why + ")");
        }
        state = next;
        if (next == ShardState.LIVE) {
            failures = 0;
        }
        if (next == ShardState.FAILED) {
            log.warn("shard {}: {} -> {} ({})", partition, previous, next, why);
        } else {
            log.info("shard {}: {} -> {} ({})", partition, previous, next, why);
        }
    }

    void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
        Map<TopicPartition, OffsetAndMetadata> known = new HashMap<>();
        offsets.forEach((partition, offset) -> {
            if (offset != null) {
                known.put(partition, offset);
            }
        });
        this.committed = Map.copyOf(known);
    }

    Optional<OffsetAndMetadata> committedOffset(TopicPartition partition) {
        return Optional.ofNullable(committed.get(partition));
    }

    Optional<Long> firstPosition(TopicPartition partition) {
        return Optional.ofNullable(firstPositions.get(partition));
    }

    void rememberFirstPosition(TopicPartition partition, long offset) {
        firstPositions.putIfAbsent(partition, offset);
    }

    /** After a failure: when to go round again, later after each failure in a row (up to the cap). */
    void scheduleRetry(long now, long baseNanos, long maxNanos) {
        long delay = Math.min(maxNanos, baseNanos << Math.min(failures, 16));
        failures++;
        retryAtNanos = now + delay;
    }

    boolean retryDue(long now) {
        return now - retryAtNanos >= 0;
    }

    long nanosUntilRetry(long now) {
        return Math.max(0, retryAtNanos - now);
    }
}
