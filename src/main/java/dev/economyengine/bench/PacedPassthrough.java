package dev.economyengine.bench;

import dev.economyengine.messaging.ClientProperties;
import dev.economyengine.messaging.CommitPolicy;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;

/**
 * The latency ceiling: the exactly-once passthrough writing three records per request, the Kafka part
 * of the worker's work, copying paced requests on a thread of its own until closed, while
 * {@link LatencyProbe} paces and times them exactly as it does the worker's. It commits as the worker
 * does, by the worker's {@link CommitPolicy}: a transaction stays open across polls until the policy
 * commits it, and a poll waits no longer than the time left until then. With the worker's client
 * settings; its requests have topics of their own, so the worker, which runs meanwhile, never sees them.
 * Its threads, and its clients', are in a group of their own: their CPU is its own ({@link #cpu()}).
 */
final class PacedPassthrough implements AutoCloseable {
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final LatencyProbe.Route route;
    private final CommitPolicy policy;
    private final ThreadGroupCpu threads = new ThreadGroupCpu("bench-passthrough");
    private final Thread thread;
    private volatile boolean running = true;
    private volatile RuntimeException failure;

    private PacedPassthrough(BenchWorld world, CommitPolicy policy) {
        List<String> inputs = world.pacedPassthroughInputs();
        List<String> outputs = world.pacedPassthroughOutputs();
        // Every copy of a request is in the same transaction as the first: when the first is visible, all are.
        this.route = new LatencyProbe.Route(inputs.get(0), inputs.get(1), outputs.get(0));
        this.policy = policy;
        // The same group and transactional id for every passthrough of a run: the next one goes on from
        // the offsets the last one committed, rather than copying its requests again.
        String name = world.name("paced-passthrough");
        this.thread = threads.newThread(() -> copyUntilClosed(world, name, inputs, outputs), "bench-" + name);
        thread.setDaemon(true);
    }

    /** Starts copying; a request sent from now on is copied, whenever the group has formed. */
    static PacedPassthrough start(BenchWorld world, CommitPolicy policy) {
        PacedPassthrough passthrough = new PacedPassthrough(world, policy);
        passthrough.thread.start();
        return passthrough;
    }

    /** Where to send the paced requests, and where their first copies appear. */
    LatencyProbe.Route route() {
        return route;
    }

    /** The CPU of its thread and of its clients' threads. */
    CpuMeter cpu() {
        return threads;
    }

    private void copyUntilClosed(BenchWorld world, String name, List<String> inputs, List<String> outputs) {
        // The group starts at the earliest offset (the worker's consumer settings): requests sent before
        // it has its partitions are copied too.
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(ClientProperties.consumer(
                        world.bootstrapServers(), name, world.engineConfig().consumerProperties()));
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(ClientProperties.producer(
                        world.bootstrapServers(), name, world.engineConfig().producerProperties()))) {
            producer.initTransactions();
            consumer.subscribe(inputs);
            copy(consumer, producer, outputs);
        } catch (RuntimeException e) {
            failure = e;
        }
    }

    /** The loop: poll, copy into the open transaction, commit when the policy says; at the end, commit what is held. */
    private void copy(KafkaConsumer<byte[], byte[]> consumer, KafkaProducer<byte[], byte[]> producer,
            List<String> outputs) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        int held = 0;
        long oldestPolledNanos = 0;
        while (running) {
            long untilCommit = policy.nanosUntilCommit(held, oldestPolledNanos, System.nanoTime());
            ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofNanos(Math.min(POLL.toNanos(),
                    untilCommit)));
            if (!records.isEmpty()) {
                if (held == 0) {
                    producer.beginTransaction();
                    oldestPolledNanos = System.nanoTime();
                }
                PassthroughCeiling.send(records, producer, outputs, offsets);
                held += records.count();
            }
            if (held > 0 && policy.commitsNow(held, oldestPolledNanos, System.nanoTime())) {
                commit(consumer, producer, offsets);
                held = 0;
            }
        }
        if (held > 0) {
            commit(consumer, producer, offsets);
        }
    }

    private static void commit(KafkaConsumer<byte[], byte[]> consumer, KafkaProducer<byte[], byte[]> producer,
            Map<TopicPartition, OffsetAndMetadata> offsets) {
        producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
        producer.commitTransaction();
        offsets.clear();
    }

    /** Stops copying after committing the transaction in hand; rethrows what made it stop before, if anything. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(STOP_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            threads.close();
        }
        if (failure != null) {
            throw new IllegalStateException("the paced passthrough failed: " + failure, failure);
        }
    }
}
