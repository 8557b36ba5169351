package dev.economyengine.testing;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.economyengine.messaging.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A game service and a downstream subscriber in one: publishes requests keyed by user, and reads the
 * result, balance-changed and dead-letter topics from the beginning, read_committed.
 */
public final class EconomyClient implements AutoCloseable {
    public static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Topics topics;
    private final KafkaProducer<byte[], byte[]> producer;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<JsonNode> results = new ArrayList<>();
    private final List<JsonNode> balanceChanges = new ArrayList<>();
    private final List<ConsumerRecord<byte[], byte[]>> deadLetters = new ArrayList<>();

    public EconomyClient(String bootstrapServers, Topics topics) {
        this.topics = topics;
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()));
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()));
    }

    public EconomyClient(EconomyTestEnvironment environment) {
        this(environment.bootstrapServers(), environment.topics());
    }

    public void earn(String requestId, String userId, String action) {
        send(topics.earnRequests(), userId,
                "{\"requestId\":\"" + requestId + "\",\"userId\":\"" + userId + "\",\"action\":\"" + action + "\"}");
    }

    public void spend(String requestId, String userId, long amount) {
        send(topics.spendRequests(), userId,
                "{\"requestId\":\"" + requestId + "\",\"userId\":\"" + userId + "\",\"amount\":" + amount
                        + ",\"reason\":\"sku:test\"}");
    }

    public void send(String topic, String key, String value) {
        send(topic, key == null ? null : utf8(key), value == null ? null : utf8(value));
    }

    /** Publishes and waits for the broker's acknowledgement, as a careful game service would. */
    public void send(String topic, byte[] key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("publish failed", e);
        }
    }

    /** Publishes to an explicit partition, as a producer with another partitioner would. */
    public void sendToPartition(String topic, int partition, String key, String value) {
        try {
            producer.send(new ProducerRecord<>(topic, partition, utf8(key), utf8(value))).get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("publish failed", e);
        }
    }

    /** Publishes a record as given (partition, key, timestamp, headers) and returns where it went. */
    public RecordMetadata send(ProducerRecord<byte[], byte[]> record) {
        try {
            return producer.send(record).get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("publish failed", e);
        }
    }

    public List<JsonNode> awaitResults(int count) {
        await().atMost(TIMEOUT).until(() -> {
            pollOnce();
            return results.size() >= count;
        });
        return List.copyOf(results);
    }

    public JsonNode awaitResult(Predicate<JsonNode> match) {
        await().atMost(TIMEOUT).until(() -> {
            pollOnce();
            return results.stream().anyMatch(match);
        });
        return results.stream().filter(match).findFirst().orElseThrow();
    }

    public JsonNode awaitResult(String userId, String requestId) {
        return awaitResult(r -> r.get("requestId").asText().equals(requestId) && r.get("userId").asText().equals(userId));
    }

    public List<JsonNode> awaitBalanceChanges(int count) {
        await().atMost(TIMEOUT).until(() -> {
            pollOnce();
            return balanceChanges.size() >= count;
        });
        return List.copyOf(balanceChanges);
    }

    public List<ConsumerRecord<byte[], byte[]>> awaitDeadLetters(int count) {
        await().atMost(TIMEOUT).until(() -> {
            pollOnce();
            return deadLetters.size() >= count;
        });
        return List.copyOf(deadLetters);
    }

    /** Everything read so far, after one more poll. */
    public List<JsonNode> results() {
        pollOnce();
        return List.copyOf(results);
    }

    public List<JsonNode> balanceChanges() {
        pollOnce();
        return List.copyOf(balanceChanges);
    }

    private void pollOnce() {
        if (consumer.assignment().isEmpty()) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(topics.results(), topics.balanceChanged(), topics.dlq())) {
                consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
            if (record.topic().equals(topics.results())) {
                results.add(Json.parse(record.value()));
            } else if (record.topic().equals(topics.balanceChanged())) {
                balanceChanges.add(Json.parse(record.value()));
            } else {
                deadLetters.add(record);
            }
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        producer.close();
        consumer.close();
    }
}
