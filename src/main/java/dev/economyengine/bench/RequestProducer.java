package dev.economyengine.bench;

import dev.economyengine.ledger.RequestType;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes requests as a game service would: keyed by user id with Kafka's default partitioner,
 * idempotent, acknowledged by all in-sync replicas.
 */
final class RequestProducer implements AutoCloseable {
    private final KafkaProducer<byte[], byte[]> producer;
    private final String earnTopic;
    private final String spendTopic;
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    private RequestProducer(BenchWorld world, String earnTopic, String spendTopic, int lingerMs, int maxInFlight) {
        Map<String, Object> props = new HashMap<>(world.engineConfig().producerProperties());
        props.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, world.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, maxInFlight);
        // Big batches load a million requests in seconds.
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        this.producer = new KafkaProducer<>(props);
        this.earnTopic = earnTopic;
        this.spendTopic = spendTopic;
    }

    /**
     * For loading a backlog: big batches, and one request in flight, so that a batch refused by a
     * partition whose new leader is not quite ready is retried before any later batch is sent (with
     * more in flight, the later batch can land first and the retried one is then out of sequence).
     */
    static RequestProducer bulk(BenchWorld world) {
        return new RequestProducer(world, world.topics().earnRequests(), world.topics().spendRequests(), 20, 1);
    }

    /**
     * For requests sent one by one on a schedule, as a game service sends them: with Kafka's default
     * {@code linger.ms} of 5 ms, which counts in the measured latency.
     */
    static RequestProducer paced(BenchWorld world, LatencyProbe.Route route) {
        return new RequestProducer(world, route.earnTopic(), route.spendTopic(), 5, 5);
    }

    void send(RequestMix.RequestRecord request) {
        String topic = request.type() == RequestType.EARN ? earnTopic : spendTopic;
        producer.send(new ProducerRecord<>(topic, request.key(), request.value()), (metadata, e) -> {
            if (e != null) {
                failure.compareAndSet(null, e);
            }
        });
    }

    /** Waits until everything sent is acknowledged; fails if anything was not. */
    void flush() {
        producer.flush();
        Exception e = failure.get();
        if (e != null) {
            throw new IllegalStateException("publishing requests failed: " + e, e);
        }
    }

    /** Publishes {@code count} requests of the mix and waits for their acknowledgements. */
    static void preload(BenchWorld world, RequestMix mix, int count) {
        try (RequestProducer producer = bulk(world)) {
            for (int i = 0; i < count; i++) {
                producer.send(mix.next());
            }
            producer.flush();
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
