package dev.economyengine.bench;

import dev.economyengine.messaging.ClientProperties;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * The latency ceiling: the exactly-once passthrough writing three records per request, the Kafka part
 * of the worker's work, copying paced requests on a thread of its own until closed, while
 * {@link LatencyProbe} paces and times them exactly as it does the worker's. One transaction per
 * poll, as in {@link PassthroughCeiling}, with the worker's client settings. Its requests have topics
 * of their own, so the worker, which runs meanwhile, never sees them.
 */
final class PacedPassthrough implements AutoCloseable {
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final LatencyProbe.Route route;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile RuntimeException failure;

    private PacedPassthrough(BenchWorld world) {
        List<String> inputs = world.pacedPassthroughInputs();
        List<String> outputs = world.pacedPassthroughOutputs();
        // Every copy of a request is in the same transaction as the first: when the first is visible, all are.
        this.route = new LatencyProbe.Route(inputs.get(0), inputs.get(1), outputs.get(0));
        String name = world.name("paced-passthrough");
        this.thread = new Thread(() -> copyUntilClosed(world, name, inputs, outputs), "bench-" + name);
        thread.setDaemon(true);
    }

    /** Starts copying; a request sent from now on is copied, whenever the group has formed. */
    static PacedPassthrough start(BenchWorld world) {
        PacedPassthrough passthrough = new PacedPassthrough(world);
        passthrough.thread.start();
        return passthrough;
    }

    /** Where to send the paced requests, and where their first copies appear. */
    LatencyProbe.Route route() {
        return route;
    }

    private void copyUntilClosed(BenchWorld world, String name, List<String> inputs, List<String> outputs) {
        // The group is new and starts at the earliest offset (the worker's consumer settings): requests
        // sent before it has its partitions are copied too.
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(ClientProperties.consumer(
                        world.bootstrapServers(), name, world.engineConfig().consumerProperties()));
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(ClientProperties.producer(
                        world.bootstrapServers(), name, world.engineConfig().producerProperties()))) {
            producer.initTransactions();
            consumer.subscribe(inputs);
            while (running) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
                if (!records.isEmpty()) {
                    PassthroughCeiling.copy(records, consumer, producer, outputs);
                }
            }
        } catch (RuntimeException e) {
            failure = e;
        }
    }

    /** Stops copying after the transaction in hand; rethrows what made it stop before, if anything. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(STOP_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            throw new IllegalStateException("the paced passthrough failed: " + failure, failure);
        }
    }
}
