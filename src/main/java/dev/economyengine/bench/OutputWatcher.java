package dev.economyengine.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads an output topic read_committed, as a downstream service would, and notes when each record
 * becomes visible: the end of every measured interval. Also counts the transactions that wrote to the
 * topic: each leaves one commit marker in every partition it wrote to, an offset that a
 * read_committed reader skips.
 */
final class OutputWatcher implements AutoCloseable {
    /** Called on the watcher's thread for every record, with the moment it was seen. */
    @FunctionalInterface
    interface Sink {
        Sink NONE = (record, seenNanos) -> { };

        void seen(ConsumerRecord<byte[], byte[]> record, long seenNanos);
    }

    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration METADATA_RETRY = Duration.ofMillis(50);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<TopicPartition> partitions;
    private final Map<TopicPartition, Long> startOffsets = new HashMap<>();
    private final Sink sink;
    private volatile long expected;
    private final AtomicLong seen = new AtomicLong();
    private final CountDownLatch done = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long lastSeenNanos;
    private volatile long markers = -1;
    private volatile RuntimeException failure;

    /**
     * Starts watching {@code topic} from its current end ({@code fromEnd}) or from its beginning,
     * until {@code expected} records have been seen. Returns once the watcher is positioned.
     */
    OutputWatcher(BenchWorld world, String topic, boolean fromEnd, long expected, Sink sink) {
        this.consumer = new KafkaConsumer<>(world.observerConsumer());
        this.partitions = partitionsOf(consumer, topic);
        this.sink = sink;
        this.expected = expected;
        consumer.assign(partitions);
        if (fromEnd) {
            consumer.seekToEnd(partitions);
        } else {
            consumer.seekToBeginning(partitions);
        }
        partitions.forEach(partition -> startOffsets.put(partition, consumer.position(partition)));
        this.thread = new Thread(this::watch, "bench-watch-" + topic);
        thread.setDaemon(true);
        thread.start();
    }

    /** Its partitions, once the metadata has them: a topic created a moment ago may not be there yet. */
    private static List<TopicPartition> partitionsOf(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        long deadline = System.nanoTime() + METADATA_TIMEOUT.toNanos();
        while (true) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            if (!partitions.isEmpty()) {
                return partitions;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no partitions of " + topic + " in the metadata within " + METADATA_TIMEOUT);
            }
            LockSupport.parkNanos(METADATA_RETRY.toNanos());
        }
    }

    private void watch() {
        try {
            while (running && seen.get() < expected) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                    long now = System.nanoTime();
                    sink.seen(record, now);
                    lastSeenNanos = now;
                    seen.incrementAndGet();
                }
            }
            if (seen.get() >= expected) {
                markers = countMarkers();
            }
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            done.countDown();
        }
    }

    /** Once every transaction is decided, a partition's stable end is just past its last marker. */
    private long countMarkers() {
        long offsets = 0;
        for (Map.Entry<TopicPartition, Long> end : consumer.endOffsets(partitions).entrySet()) {
            offsets += end.getValue() - startOffsets.get(end.getKey());
        }
        return offsets - seen.get();
    }

    /** Sets how many records to see, for a caller that knows only now: never fewer than seen already. */
    void expect(long records) {
        expected = records;
    }

    /** Waits until every expected record was seen; returns the moment the last one was. */
    long awaitAll(Duration timeout) throws InterruptedException {
        if (!done.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("only " + seen.get() + " of " + expected
                    + " records became visible within " + timeout);
        }
        if (failure != null) {
            throw new IllegalStateException("watching the output failed: " + failure, failure);
        }
        return lastSeenNanos;
    }

    /** Commit (or abort) markers written since the watcher started: one per transaction and partition. */
    long markers() {
        return markers;
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        consumer.close();
    }
}
