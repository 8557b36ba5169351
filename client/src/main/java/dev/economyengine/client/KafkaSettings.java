package dev.economyengine.client;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The Kafka clients' settings: the caller's properties (security, timeouts, ...) over the client's
 * defaults, then what correctness needs, which no property may change.
 */
final class KafkaSettings {
    private KafkaSettings() {
    }

    static Map<String, Object> producer(ClientOptions options) {
        Map<String, Object> config = new HashMap<>();
        // Every request's answer is awaited: a record is sent at once rather than held for a batch.
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        config.putAll(options.kafkaProperties());
        common(config, options, "-requests");
        // A request must reach every replica before it counts as sent; the worker may answer it at once.
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        // A producer retry must not publish the request twice (the worker would answer it twice, once as a duplicate).
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return config;
    }

    /** A consumer that reads what the worker committed, of partitions it is given, from where it is put. */
    static Map<String, Object> consumer(ClientOptions options, String purpose) {
        Map<String, Object> config = new HashMap<>(options.kafkaProperties());
        common(config, options, purpose);
        // An answer in an aborted transaction was never given: the worker gives it again in its retry.
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // assign(), no group: each instance reads its own partitions, with no rebalance and nothing to commit.
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // A record from before the position was taken is not for us; after data loss, start from now.
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return config;
    }

    static Map<String, Object> admin(ClientOptions options) {
        Map<String, Object> config = new HashMap<>(options.kafkaProperties());
        common(config, options, "-admin");
        return config;
    }

    private static void common(Map<String, Object> config, ClientOptions options, String purpose) {
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers());
        // Named after the instance, so that the broker's quotas and logs tell its clients apart.
        config.put(CommonClientConfigs.CLIENT_ID_CONFIG, options.clientId() + purpose);
    }
}
