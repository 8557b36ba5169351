package dev.economyengine.broker;

import dev.economyengine.lock.StartRefusedException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaBrokerTest {

    private static final String TOPIC = "embedded-broker-test";

    @TempDir
    Path logDir;

    @Test
    void transactionalRecord_isReadableReadCommitted() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(logDir, 0)) {
            assertThat(broker.port()).isPositive();
            assertThat(broker.bootstrapServers()).isEqualTo("127.0.0.1:" + broker.port());

            createTopic(broker);
            produceTransactionally(broker, "k1", "committed-value");

            assertThat(readCommittedValues(broker, 1)).containsExactly("committed-value");
        }
    }

    @Test
    void restartOnSameLogDir_keepsRecords() throws Exception {
        int port;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(logDir, 0)) {
            port = broker.port();
            createTopic(broker);
            produceTransactionally(broker, "k1", "survives-restart");
        }

        try (EmbeddedKafkaBroker restarted = EmbeddedKafkaBroker.start(logDir, port)) {
            assertThat(restarted.port()).isEqualTo(port);
            assertThat(readCommittedValues(restarted, 1)).containsExactly("survives-restart");

            // The restarted node must be fully usable, not just readable: a transaction needs the
            // controller (producer ids) and the transaction coordinator to come back.
            produceTransactionally(restarted, "k2", "after-restart");
            assertThat(readCommittedValues(restarted, 2)).containsExactly("survives-restart", "after-restart");
        }
    }

    @Test
    void close_isIdempotent() {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(logDir, 0);
        broker.close();
        broker.close();
    }

    @Test
    void secondBroker_onTheSameLogDir_isRefusedNamingTheFirst_beforeItWritesAnything() throws Exception {
        try (EmbeddedKafkaBroker first = EmbeddedKafkaBroker.start(logDir.resolve("kafka"), 0, "economy-engine run")) {
            Set<Path> before = files(logDir.resolve("kafka"));

            assertThatThrownBy(() -> EmbeddedKafkaBroker.start(logDir.resolve("kafka"), 0, "economy-engine demo"))
                    .isInstanceOf(StartRefusedException.class)
                    .hasMessage("Kafka log directory " + logDir.resolve("kafka") + " is in use by process "
                            + ProcessHandle.current().pid() + " (economy-engine run); stop it or give this broker"
                            + " another directory");

            assertThat(files(logDir.resolve("kafka"))).isEqualTo(before);
            // The first is undisturbed: it still serves clients.
            createTopic(first);
            assertThat(first.health().healthy()).isTrue();
        }
    }

    @Test
    void portInUse_isRefusedInOneLineNamingTheKeyAndItsVariable_beforeItFormatsAnything() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> EmbeddedKafkaBroker.start(logDir.resolve("kafka"), taken.getLocalPort()))
                    .isInstanceOf(StartRefusedException.class)
                    .hasMessageStartingWith("cannot listen for the embedded Kafka broker on 127.0.0.1:"
                            + taken.getLocalPort() + " (embedded.kafka.port, ECONOMY_EMBEDDED_KAFKA_PORT): ")
                    .hasMessageNotContaining("\n");
        }
        assertThat(logDir.resolve("kafka").resolve("meta.properties")).doesNotExist();
        // Released with the refusal: the directory can be used at once.
        EmbeddedKafkaBroker.start(logDir.resolve("kafka"), 0).close();
    }

    @Test
    void health_isHealthyWhileRunning_andNotOnceClosed() {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(logDir, 0);
        assertThat(broker.health()).isEqualTo(new EmbeddedKafkaBroker.Health(true, "embedded Kafka broker answers"));

        broker.close();

        assertThat(broker.health()).isEqualTo(new EmbeddedKafkaBroker.Health(false, "embedded Kafka broker has stopped"));
    }

    /** Every file under {@code root}, relative to it. */
    private static Set<Path> files(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).map(root::relativize).collect(Collectors.toSet());
        }
    }

    private static void createTopic(EmbeddedKafkaBroker broker) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
        }
    }

    private static void produceTransactionally(EmbeddedKafkaBroker broker, String key, String value) throws Exception {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "embedded-broker-test-tx",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(TOPIC, 0, key, value)).get();
            producer.commitTransaction();
        }
    }

    /** Reads partition 0 from the beginning until at least {@code expected} committed values arrived. */
    private static List<String> readCommittedValues(EmbeddedKafkaBroker broker, int expected) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            TopicPartition partition = new TopicPartition(TOPIC, 0);
            consumer.assign(Set.of(partition));
            consumer.seekToBeginning(Set.of(partition));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
                return values.size() >= expected;
            });
        }
        return values;
    }
}
