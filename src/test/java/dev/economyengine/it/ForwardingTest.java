package dev.economyengine.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.economyengine.app.EconomyEngine;
import dev.economyengine.http.ApiClient;
import dev.economyengine.messaging.OwnedShards;
import dev.economyengine.store.ShardStore;
import dev.economyengine.store.StoreOptions;
import dev.economyengine.testing.EconomyClient;
import dev.economyengine.testing.EconomyTestEnvironment;
import dev.economyengine.testing.LedgerAudit;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests that a producer put in another partition than their userId's (murmur2) one are forwarded
 * there by the worker and applied exactly once, in the order they were produced to the partition they
 * landed in; the record key only chooses the partition. End to end: a real worker, broker and shards.
 */
class ForwardingTest {
    private static final int PARTITIONS = 3;
    private static final String FORWARDED_FROM = "economy.forwarded-from";

    @TempDir
    Path workDir;

    private EconomyTestEnvironment environment;
    private EconomyEngine engine;
    private EconomyClient client;
    private int tracesSent;

    @BeforeEach
    void start() {
        environment = new EconomyTestEnvironment(workDir, PARTITIONS);
        engine = environment.startEngine();
        client = new EconomyClient(environment);
    }

    @AfterEach
    void stop() {
        client.close();
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void requestsFromAProducerWithLibrdkafkasPartitioner_areEachAppliedOnce_andAreDuplicatesThroughTheRightPartition() {
        List<String> users = IntStream.range(0, 20).mapToObj(i -> "player-" + i).toList();
        Map<String, Integer> sent = new HashMap<>();
        int misplaced = 0;
        try (KafkaProducer<byte[], byte[]> crc32 = producer(Crc32Partitioner.class)) {
            // Earns first, answered, then spends: Kafka orders records within a partition only, so a
            // spend must not race its user's earn through the other request topic.
            for (String user : users) {
                misplaced += sendAndCountMisplaced(crc32, earnRecord(user, "e-" + user, user));
                sent.put(user + "/e-" + user, 1);
            }
            client.awaitResults(users.size());
            for (String user : users) {
                misplaced += sendAndCountMisplaced(crc32, spendRecord(user, "s-" + user, 5, user));
                sent.put(user + "/s-" + user, 1);
            }
        }
        assertThat(misplaced).as("records the CRC32 partitioner put elsewhere than murmur2 would").isPositive();

        List<JsonNode> results = client.awaitResults(sent.size());
        LedgerAudit.check(sent, results, client.balanceChanges());
        assertThat(results).allSatisfy(r -> assertThat(r.get("status").asText()).as(r.toString()).isEqualTo("ACCEPTED"));
        int forwards = misplaced;
        await().atMost(EconomyClient.TIMEOUT).untilAsserted(() -> assertThat(
                forwardedCount(environment.topics().earnRequests()) + forwardedCount(environment.topics().spendRequests()))
                .isEqualTo(forwards));

        // Sent again by a Java producer (murmur2): each is the same request, answered as before.
        for (String user : users) {
            client.earn("e-" + user, user, "daily_login");
            client.spend("s-" + user, user, 5);
        }
        List<JsonNode> all = client.awaitResults(2 * sent.size());
        assertRepeatsAnsweredAsTheOriginals(all.subList(0, sent.size()), all.subList(sent.size(), all.size()));
        sent.replaceAll((request, times) -> 2);
        LedgerAudit.check(sent, all, client.balanceChanges());
    }

    @Test
    void requestsOfOneUser_allInOneWrongPartition_withNullAndOtherKeys_areAppliedInTheOrderProduced() throws Exception {
        String user = "lena";
        int home = home(user);
        int wrong = (home + 1) % PARTITIONS;
        // The order decides the outcome: s2 is refused only if s1 went first, and s3 is paid only then.
        List<ProducerRecord<byte[], byte[]>> originals = List.of(
                at(wrong, earnRecord(user, "e1", null)),
                at(wrong, earnRecord(user, "e2", UUID.randomUUID().toString())),
                at(wrong, spendRecord(user, "s1", 15, user)),
                at(wrong, spendRecord(user, "s2", 10, null)),
                at(wrong, spendRecord(user, "s3", 5, "someone-else")));
        List<RecordMetadata> written = new ArrayList<>();
        originals.forEach(record -> written.add(client.send(record)));

        List<JsonNode> results = client.awaitResults(5);
        assertThat(results).extracting(r -> r.get("requestId").asText() + " " + r.get("code").asText() + " "
                + r.get("balance").asLong()).containsExactly(
                        "e1 OK 10", "e2 OK 20", "s1 OK 5", "s2 INSUFFICIENT_BALANCE 5", "s3 OK 0");
        assertThat(results).allSatisfy(r -> assertThat(r.get("duplicate").asBoolean()).isFalse());
        List<JsonNode> changes = client.awaitBalanceChanges(4);
        assertThat(changes).extracting(c -> c.get("requestId").asText() + " v" + c.get("version").asLong())
                .containsExactly("e1 v1", "e2 v2", "s1 v3", "s3 v4");
        await().atMost(EconomyClient.TIMEOUT).untilAsserted(() -> {
            assertThat(forwardedCount(environment.topics().earnRequests())).isEqualTo(2);
            assertThat(forwardedCount(environment.topics().spendRequests())).isEqualTo(3);
        });

        // The copies in the user's partition: the original value, headers and timestamp, keyed by the
        // userId, each saying where it was read from.
        List<ConsumerRecord<byte[], byte[]>> copies = committedRecords(home, 5);
        for (int i = 0; i < originals.size(); i++) {
            ProducerRecord<byte[], byte[]> original = originals.get(i);
            ConsumerRecord<byte[], byte[]> copy = copies.stream()
                    .filter(c -> c.topic().equals(original.topic()) && Arrays.equals(c.value(), original.value()))
                    .findFirst().orElseThrow();
            assertThat(copy.key()).isEqualTo(utf8(user));
            assertThat(copy.value()).isEqualTo(original.value());
            assertThat(copy.timestamp()).isEqualTo(written.get(i).timestamp());
            assertThat(header(copy, "traceparent")).isEqualTo("trace-" + i);
            assertThat(header(copy, FORWARDED_FROM))
                    .isEqualTo(original.topic() + "-" + wrong + "@" + written.get(i).offset());
        }

        // Sent again, through the right partition and through the wrong one: answered as before.
        client.earn("e2", user, "daily_login");
        client.spend("s2", user, 10);
        client.send(at(wrong, spendRecord(user, "s1", 15, null)));
        List<JsonNode> all = client.awaitResults(8);
        assertThat(all.subList(5, 8)).extracting(r -> r.get("requestId").asText())
                .containsExactlyInAnyOrder("e2", "s2", "s1");
        assertRepeatsAnsweredAsTheOriginals(results, all.subList(5, 8));
        assertThat(client.balanceChanges()).hasSize(4);
        await().atMost(EconomyClient.TIMEOUT)
                .untilAsserted(() -> assertThat(forwardedCount(environment.topics().spendRequests())).isEqualTo(4));

        // The user has one shard: nothing of theirs was stored where the requests landed.
        engine.close();
        engine = null;
        try (ShardStore landed = ShardStore.open(shardFile(wrong), wrong, StoreOptions.defaults());
                ShardStore owner = ShardStore.open(shardFile(home), home, StoreOptions.defaults())) {
            assertThat(landed.balance(user).version()).isZero();
            assertThat(landed.result(user, "e1")).isEmpty();
            assertThat(owner.balance(user).balance()).isZero();
            assertThat(owner.balance(user).version()).isEqualTo(4);
            assertThat(owner.result(user, "s2")).isPresent();
        }
    }

    @Test
    void requestInItsUsersPartition_withANullOrAnotherKey_isAppliedThere_andNotForwarded() {
        String user = "mona";
        client.send(at(home(user), earnRecord(user, "no-key", null)));
        client.send(at(home(user), earnRecord(user, "other-key", "not-mona")));

        assertThat(client.awaitResults(2)).allSatisfy(r -> {
            assertThat(r.get("status").asText()).isEqualTo("ACCEPTED");
            assertThat(r.get("duplicate").asBoolean()).isFalse();
        });
        assertThat(client.awaitResult(user, "other-key").get("balance").asLong()).isEqualTo(20);
        assertThat(forwardedCount(environment.topics().earnRequests())).isZero();
    }

    @Test
    void copyThatLandsInAWrongPartitionAgain_isDeadLettered_notForwardedAgain() {
        String user = "nils";
        int wrong = (home(user) + 1) % PARTITIONS;
        ProducerRecord<byte[], byte[]> copy = at(wrong, earnRecord(user, "loop", user));
        copy.headers().add(FORWARDED_FROM, utf8(environment.topics().earnRequests() + "-" + home(user) + "@0"));
        client.send(copy);
        client.send(at(home(user), earnRecord(user, "after", user)));

        ConsumerRecord<byte[], byte[]> dead = client.awaitDeadLetters(1).get(0);
        assertThat(header(dead, "economy.dlq.reason")).contains("already forwarded", "not forwarded twice");
        assertThat(client.awaitResult(user, "after").get("balance").asLong()).isEqualTo(10);
        assertThat(client.results()).extracting(r -> r.get("requestId").asText()).containsExactly("after");
        assertThat(forwardedCount(environment.topics().earnRequests())).isZero();
    }

    /** librdkafka's default ("consistent_random"): CRC32 of the key, a random partition without one. */
    public static final class Crc32Partitioner implements Partitioner {
        @Override
        public int partition(String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes, Cluster cluster) {
            int partitions = cluster.partitionsForTopic(topic).size();
            if (keyBytes == null) {
                return ThreadLocalRandom.current().nextInt(partitions);
            }
            CRC32 crc = new CRC32();
            crc.update(keyBytes);
            return (int) (crc.getValue() % partitions);
        }

        @Override
        public void configure(Map<String, ?> configs) {}

        @Override
        public void close() {}
    }

    private int sendAndCountMisplaced(KafkaProducer<byte[], byte[]> producer, ProducerRecord<byte[], byte[]> record) {
        try {
            RecordMetadata metadata = producer.send(record).get();
            return metadata.partition() == home(new String(record.key(), StandardCharsets.UTF_8)) ? 0 : 1;
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("publish failed", e);
        }
    }

    private static void assertRepeatsAnsweredAsTheOriginals(List<JsonNode> originals, List<JsonNode> repeats) {
        Map<String, JsonNode> byRequest = originals.stream()
                .collect(Collectors.toMap(r -> r.get("userId").asText() + "/" + r.get("requestId").asText(), r -> r));
        assertThat(repeats).allSatisfy(repeat -> {
            JsonNode original = byRequest.get(repeat.get("userId").asText() + "/" + repeat.get("requestId").asText());
            assertThat(repeat.get("duplicate").asBoolean()).as(repeat.toString()).isTrue();
            for (String field : List.of("status", "code", "amount", "balance", "transactionId", "processedAt")) {
                assertThat(repeat.get(field)).as(field).isEqualTo(original.get(field));
            }
        });
    }

    /** The records of partition {@code partition} of both request topics, read_committed. */
    private List<ConsumerRecord<byte[], byte[]>> committedRecords(int partition, int count) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, environment.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()))) {
            List<TopicPartition> partitions = environment.topics().requestTopics().stream()
                    .map(topic -> new TopicPartition(topic, partition)).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            await().atMost(EconomyClient.TIMEOUT).until(() -> {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
                return records.size() >= count;
            });
        }
        return records;
    }

    private double forwardedCount(String topic) {
        String series = "economy_requests_forwarded_total{topic=\"" + topic + "\"} ";
        String metrics = new ApiClient(engine.httpUrl()).get("/metrics").body();
        return metrics.lines().filter(line -> line.startsWith(series))
                .mapToDouble(line -> Double.parseDouble(line.substring(series.length()).trim()))
                .findFirst().orElseThrow(() -> new AssertionError("no series " + series));
    }

    private KafkaProducer<byte[], byte[]> producer(Class<? extends Partitioner> partitioner) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, environment.bootstrapServers(),
                ProducerConfig.PARTITIONER_CLASS_CONFIG, partitioner.getName(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()));
    }

    private ProducerRecord<byte[], byte[]> earnRecord(String user, String requestId, String key) {
        return record(environment.topics().earnRequests(), key,
                "{\"requestId\":\"" + requestId + "\",\"userId\":\"" + user + "\",\"action\":\"daily_login\"}");
    }

    private ProducerRecord<byte[], byte[]> spendRecord(String user, String requestId, long amount, String key) {
        return record(environment.topics().spendRequests(), key,
                "{\"requestId\":\"" + requestId + "\",\"userId\":\"" + user + "\",\"amount\":" + amount + "}");
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, String key, String value) {
        return new ProducerRecord<>(topic, null, key == null ? null : utf8(key), utf8(value));
    }

    /** The record in an explicit partition, with a header of its own to be carried along. */
    private ProducerRecord<byte[], byte[]> at(int partition, ProducerRecord<byte[], byte[]> record) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("traceparent", utf8("trace-" + tracesSent++));
        return new ProducerRecord<>(record.topic(), partition, record.key(), record.value(), headers);
    }

    private Path shardFile(int partition) {
        try (Stream<Path> files = Files.walk(environment.dataDir())) {
            return files.filter(f -> f.getFileName().toString().equals("shard-" + partition + ".db"))
                    .findFirst().orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int home(String user) {
        return new OwnedShards(PARTITIONS).partitionOf(user);
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        assertThat(header).as("header %s", name).isNotNull();
        return new String(header.value(), StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
