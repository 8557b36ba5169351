package dev.economyengine.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.economyengine.messaging.CommitPolicy;
import dev.economyengine.testing.TestKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The paced passthrough commits by the worker's commit policy: a transaction stays open across polls
 * until it holds enough records or its oldest has waited long enough, on the shared test broker.
 */
class PacedPassthroughTest {
    private static final Duration VISIBLE_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration NEVER = Duration.ofHours(1);

    @TempDir
    Path directory;

    private BenchWorld world;
    private KafkaProducer<byte[], byte[]> requests;

    @BeforeEach
    void createWorld() throws Exception {
        Path config = Files.writeString(directory.resolve("economy.properties"), "# defaults only\n");
        world = BenchWorld.create(Map.of("ECONOMY_CONFIG", config.toString(),
                "ECONOMY_BOOTSTRAP_SERVERS", TestKafka.bootstrapServers()), false);
        requests = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, world.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
    }

    @AfterEach
    void closeWorld() {
        requests.close();
        world.close();
    }

    @Test
    void transaction_staysOpenAcrossPolls_untilItHoldsMaxRecords() throws Exception {
        try (PacedPassthrough copying = PacedPassthrough.start(world, new CommitPolicy(NEVER, 3));
                KafkaConsumer<byte[], byte[]> uncommitted = uncommittedReader(copying.route());
                OutputWatcher committed = new OutputWatcher(world, copying.route().answerTopic(), true, 3,
                        OutputWatcher.Sink.NONE)) {
            sendEachInAPollOfItsOwn(copying.route(), uncommitted, 3);

            committed.awaitAll(VISIBLE_TIMEOUT);

            assertThat(committed.markers()).as("one transaction, one commit marker, for the three polls").isEqualTo(1);
        }
    }

    @Test
    void transaction_commitsOnceItsOldestRecordHasWaitedMaxDelay() throws Exception {
        try (PacedPassthrough copying = PacedPassthrough.start(world, new CommitPolicy(Duration.ofSeconds(5), 1000));
                KafkaConsumer<byte[], byte[]> uncommitted = uncommittedReader(copying.route());
                OutputWatcher committed = new OutputWatcher(world, copying.route().answerTopic(), true, 2,
                        OutputWatcher.Sink.NONE)) {
            sendEachInAPollOfItsOwn(copying.route(), uncommitted, 2);

            committed.awaitAll(VISIBLE_TIMEOUT);

            assertThat(committed.markers()).as("the two polls in one transaction, committed by its age alone")
                    .isEqualTo(1);
        }
    }

    @Test
    void close_commitsTheTransactionInHand() throws Exception {
        try (OutputWatcher committed = new OutputWatcher(world, world.pacedPassthroughOutputs().get(0), true, 2,
                OutputWatcher.Sink.NONE)) {
            try (PacedPassthrough copying = PacedPassthrough.start(world, new CommitPolicy(NEVER, 1000));
                    KafkaConsumer<byte[], byte[]> uncommitted = uncommittedReader(copying.route())) {
                sendEachInAPollOfItsOwn(copying.route(), uncommitted, 2);
            }

            committed.awaitAll(VISIBLE_TIMEOUT);

            assertThat(committed.markers()).as("the transaction held at close, committed").isEqualTo(1);
        }
    }

    /**
     * Sends {@code count} requests, each once the one before was copied (its copy visible uncommitted):
     * each comes in a poll of its own.
     */
    private void sendEachInAPollOfItsOwn(LatencyProbe.Route route, KafkaConsumer<byte[], byte[]> uncommitted,
            int count) throws Exception {
        List<ConsumerRecord<byte[], byte[]>> copied = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            send(route, "r" + i);
            int expected = i;
            await().atMost(VISIBLE_TIMEOUT).until(() -> {
                uncommitted.poll(Duration.ofMillis(100)).forEach(copied::add);
                return copied.size() >= expected;
            });
        }
    }

    /** A request to partition 0 of the passthrough's earn topic: copied to partition 0 of its outputs. */
    private void send(LatencyProbe.Route route, String requestId) throws Exception {
        requests.send(new ProducerRecord<>(route.earnTopic(), 0, "u1".getBytes(StandardCharsets.UTF_8),
                ("{\"requestId\":\"" + requestId + "\"}").getBytes(StandardCharsets.UTF_8))).get();
    }

    /** Sees a copy as soon as the passthrough has sent it, in a transaction still open. */
    private KafkaConsumer<byte[], byte[]> uncommittedReader(LatencyProbe.Route route) {
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, world.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
        TopicPartition partition = new TopicPartition(route.answerTopic(), 0);
        consumer.assign(List.of(partition));
        consumer.seekToEnd(List.of(partition));
        consumer.position(partition);
        return consumer;
    }
}
