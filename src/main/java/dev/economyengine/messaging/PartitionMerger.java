package dev.economyengine.messaging;

import dev.economyengine.ledger.RequestType;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Merges partition p of the earn topic and partition p of the spend topic into one stream in
 * record-timestamp order, as Kafka Streams merges the partitions of a task.
 *
 * <p>While both sides have buffered records, the older timestamp goes first (an earn on a tie, so a
 * reward sent in the same millisecond as a purchase can pay for it). When one side is empty, a record
 * of the other side waits until it has been buffered for {@code maxWaitNanos}, giving a record with an
 * older timestamp that is still in flight on the empty side time to arrive; then it goes. Each side
 * keeps its own order, so per-user order within a topic is never changed. Not thread-safe.
 */
final class PartitionMerger {
    private final long maxWaitNanos;
    private final ArrayDeque<Buffered> earns = new ArrayDeque<>();
    private final ArrayDeque<Buffered> spends = new ArrayDeque<>();

    PartitionMerger(long maxWaitNanos) {
        this.maxWaitNanos = maxWaitNanos;
    }

    void add(RequestType type, ConsumerRecord<byte[], byte[]> record, long arrivedNanos) {
        (type == RequestType.EARN ? earns : spends).addLast(new Buffered(type, record, arrivedNanos));
    }

    /** Removes and returns, in merged order, up to {@code max} records that may be applied now. */
    List<Typed> drain(long nowNanos, int max) {
        List<Typed> ready = new ArrayList<>();
        while (ready.size() < max) {
            Buffered earn = earns.peekFirst();
            Buffered spend = spends.peekFirst();
            Buffered next;
            if (earn != null && spend != null) {
                next = earn.record.timestamp() <= spend.record.timestamp() ? earn : spend;
            } else if (earn != null || spend != null) {
                next = earn != null ? earn : spend;
                if (nowNanos - next.arrivedNanos < maxWaitNanos) {
                    break;
                }
            } else {
                break;
            }
            (next == earn ? earns : spends).removeFirst();
            ready.add(new Typed(next.type, next.record));
        }
        return ready;
    }

    /** How long until {@link #drain} could release a record that it cannot release now. */
    long nanosUntilReady(long nowNanos) {
        if (earns.isEmpty() == spends.isEmpty()) {
            // Both empty: nothing to wait for. Both non-empty: ready now.
            return earns.isEmpty() ? Long.MAX_VALUE : 0;
        }
        Buffered waiting = earns.isEmpty() ? spends.peekFirst() : earns.peekFirst();
        return Math.max(0, waiting.arrivedNanos + maxWaitNanos - nowNanos);
    }

    int size() {
        return earns.size() + spends.size();
    }

    void clear() {
        earns.clear();
        spends.clear();
    }

    /** A record with the topic it came from. */
    record Typed(RequestType type, ConsumerRecord<byte[], byte[]> record) {}

    private record Buffered(RequestType type, ConsumerRecord<byte[], byte[]> record, long arrivedNanos) {}
}
