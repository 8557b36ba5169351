package dev.economyengine.messaging;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The Kafka client properties of the worker. Operator properties (security settings and the like)
 * pass through; the few that the ledger's guarantees depend on are set last so they cannot be
 * overridden by accident.
 */
public final class ClientProperties {
    private ClientProperties() {}

    public static Map<String, Object> consumer(String bootstrapServers, String groupId, Map<String, String> passThrough) {
        Map<String, Object> props = new HashMap<>();
        // Overridable defaults.
        // A new group starts at the oldest request rather than skipping requests already waiting.
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // Large polls make large SQLite transactions, the cheapest way through a burst.
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        // A worker that dies is noticed within 10 s (Kafka's default is 45 s), so its partitions move
        // quickly; shorter risks needless rebalances on a long GC pause or a slow network.
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 3_000);
        props.putAll(passThrough);
        // Required.
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        // Offsets are committed inside the worker's Kafka transactions, never on their own.
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // Requests count only once their transaction commits: a game service's, and the worker's own
        // forwarded copies, which an aborted batch takes back (its retry forwards them again).
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // The range assignor gives partition p of both request topics to the same worker, which the
        // per-partition shard needs (the two topics have the same partition count, checked at start);
        // this one also tells every worker which worker's HTTP API holds each partition.
        props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, List.of(EndpointAwareAssignor.class.getName()));
        props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return props;
    }

    /** A consumer without a group that replays the changelog; only committed records count. */
    public static Map<String, Object> restoreConsumer(String bootstrapServers, Map<String, String> passThrough) {
        Map<String, Object> props = new HashMap<>();
        // Restore reads whole partitions: big fetches.
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 * 1024 * 1024);
        props.putAll(passThrough);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return props;
    }

    public static Map<String, Object> producer(String bootstrapServers, String transactionalId,
            Map<String, String> passThrough) {
        Map<String, Object> props = new HashMap<>();
        // Records wait for one another and go in large produce requests, which cost the broker far
        // less per record: a third more throughput in the benchmark, for the worker and the passthrough
        // alike. It costs no latency: committing the transaction sends whatever is still waiting.
        props.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        // A transaction begun right after the previous commit often finds the coordinator still writing
        // that commit's markers; the broker answers CONCURRENT_TRANSACTIONS and the client retries after
        // retry.backoff.ms. Kafka's 100 ms made one loop in ten take 100 ms more, the worst part of the
        // latency at low load. Backoff still grows exponentially to retry.backoff.max.ms (1 s) on real
        // errors.
        props.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 10);
        // A dead worker's open transaction holds back read_committed readers until it times out; a
        // batch takes milliseconds, so 10 s is ample and bounds that stall.
        props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 10_000);
        // How long initTransactions, sendOffsetsToTransaction and commitTransaction may block the poll
        // loop. Kafka's 60 s is six transaction timeouts: the broker has aborted a transaction long
        // before. After 15 s the batch fails instead and the worker recovers (a new producer, shards
        // caught up with the changelog, the consumer rewound), as after any failed Kafka call.
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        props.putAll(passThrough);
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        // Stable per worker process: a restarted worker fences its previous incarnation and aborts
        // whatever transaction that one left open.
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        // An event is published once all in-sync replicas have it, and producer retries never duplicate it.
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return props;
    }

    public static Map<String, Object> admin(String bootstrapServers, Map<String, String> passThrough) {
        Map<String, Object> props = new HashMap<>(passThrough);
        props.put("bootstrap.servers", bootstrapServers);
        return props;
    }
}
