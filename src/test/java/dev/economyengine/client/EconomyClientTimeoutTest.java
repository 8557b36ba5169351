package dev.economyengine.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.economyengine.testing.EconomyTestEnvironment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
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
 * The client against a real broker with no worker running, or with the test answering in its place:
 * resends of the same request, the deadline, close, replies that answer nothing, and replies in an aborted
 * transaction.
 */
class EconomyClientTimeoutTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path workDir;

    private EconomyTestEnvironment environment;
    private Admin admin;

    @BeforeEach
    void createTopics() {
        environment = new EconomyTestEnvironment(workDir, 2);
        environment.createTopics(2);
        admin = Admin.create(Map.of("bootstrap.servers", environment.bootstrapServers()));
    }

    @AfterEach
    void closeAdmin() {
        admin.close();
    }

    @Test
    void noWorker_failsTheFutureAtTheDeadline_withTheRequestId_afterResendingTheSameRequest() {
        try (EconomyClient client = client("deadline", Duration.ofMillis(300), Duration.ofMillis(1500))) {
            CompletableFuture<Result> answer =
                    client.spend(new SpendRequest("order-1", "alice", 30, null, "sku:shield", null));

            assertThatThrownBy(() -> answer.get(WAIT.toSeconds(), TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOfSatisfying(RequestTimeoutException.class, timeout -> {
                        assertThat(timeout.requestId()).isEqualTo("order-1");
                        assertThat(timeout.userId()).isEqualTo("alice");
                        assertThat(timeout.getMessage()).contains("GET /v1/users/alice/requests/order-1");
                    });

            List<ConsumerRecord<byte[], byte[]>> sent = readAll(environment.topics().spendRequests(), 2);
            assertThat(sent).as("the first attempt and at least one resend").hasSizeGreaterThanOrEqualTo(2);
            assertThat(sent).extracting(r -> new String(r.value(), StandardCharsets.UTF_8)).containsOnly(
                    "{\"requestId\":\"order-1\",\"userId\":\"alice\",\"amount\":30,\"reason\":\"sku:shield\"}");
            assertThat(sent).extracting(r -> new String(r.key(), StandardCharsets.UTF_8)).containsOnly("alice");
            assertThat(sent).extracting(r -> header(r, ReplyHeaders.REPLY_TOPIC)).containsOnly(client.replyTopic());
            assertThat(sent).extracting(r -> header(r, ReplyHeaders.CORRELATION_ID)).as("one correlation id, kept")
                    .containsOnly(header(sent.get(0), ReplyHeaders.CORRELATION_ID));
        }
    }

    @Test
    void close_failsPendingFutures_andDeletesTheReplyTopicItCreated() throws Exception {
        EconomyClient client = client("closing", Duration.ofSeconds(30), Duration.ofSeconds(60));
        assertThat(client.replyTopic()).isEqualTo("economy.replies.closing-" + environment.groupId());
        assertThat(admin.listTopics().names().get()).contains(client.replyTopic());
        CompletableFuture<Result> answer = client.earn("alice", "daily_login");

        client.close();

        assertThatThrownBy(() -> answer.get(WAIT.toSeconds(), TimeUnit.SECONDS)).cause()
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThat(admin.listTopics().names().get()).doesNotContain(client.replyTopic());
        assertThat(client.earn("alice", "daily_login")).isCompletedExceptionally();
    }

    @Test
    void aReplyTopicThatExistedBefore_isKeptOnClose() throws Exception {
        String existing = "economy.replies.kept-" + environment.groupId();
        admin.createTopics(List.of(new NewTopic(existing, 1, (short) 1))).all().get();

        client("kept", Duration.ofSeconds(5), Duration.ofSeconds(30)).close();

        assertThat(admin.listTopics().names().get()).contains(existing);
    }

    @Test
    void repliesWithAnotherCorrelationId_areIgnored_andTheFirstMatchingOneAnswers() throws Exception {
        try (EconomyClient client = client("answers", Duration.ofSeconds(30), Duration.ofSeconds(60));
                KafkaProducer<byte[], byte[]> worker = producer()) {
            CompletableFuture<Result> answer = client.earn(new EarnRequest("e1", "bob", "daily_login", null, null));
            ConsumerRecord<byte[], byte[]> request = readAll(environment.topics().earnRequests(), 1).get(0);
            byte[] correlationId = request.headers().lastHeader(ReplyHeaders.CORRELATION_ID).value();

            worker.send(reply(client, "some other request's correlation".getBytes(StandardCharsets.UTF_8),
                    resultJson("e1", 999))).get();
            worker.send(reply(client, new byte[16], resultJson("e1", 998))).get();
            worker.send(reply(client, correlationId, resultJson("e1", 10))).get();
            worker.send(reply(client, correlationId, resultJson("e1", 997))).get();

            assertThat(answer.get(WAIT.toSeconds(), TimeUnit.SECONDS).balance()).isEqualTo(10);
            await().atMost(WAIT).until(() -> client.inFlight() == 0);
        }
    }

    @Test
    void aReplyInAnAbortedTransaction_neverCounts_theCommittedOneAnswers() throws Exception {
        try (EconomyClient client = client("aborted", Duration.ofSeconds(30), Duration.ofSeconds(60));
                KafkaProducer<byte[], byte[]> worker = transactionalProducer("aborted-" + environment.groupId())) {
            CompletableFuture<Result> answer = client.earn(new EarnRequest("e1", "bob", "daily_login", null, null));
            ConsumerRecord<byte[], byte[]> request = readAll(environment.topics().earnRequests(), 1).get(0);
            byte[] correlationId = request.headers().lastHeader(ReplyHeaders.CORRELATION_ID).value();
            worker.initTransactions();

            worker.beginTransaction();
            worker.send(reply(client, correlationId, resultJson("e1", 999))).get();
            worker.abortTransaction();
            worker.beginTransaction();
            worker.send(reply(client, correlationId, resultJson("e1", 10))).get();
            worker.commitTransaction();

            assertThat(answer.get(WAIT.toSeconds(), TimeUnit.SECONDS).balance()).isEqualTo(10);
        }
    }

    private EconomyClient client(String name, Duration attemptTimeout, Duration deadline) {
        return EconomyClient.builder(environment.bootstrapServers())
                .clientId(name + "-" + environment.groupId())
                .earnTopic(environment.topics().earnRequests())
                .spendTopic(environment.topics().spendRequests())
                .balanceChangedTopic(environment.topics().balanceChanged())
                .attemptTimeout(attemptTimeout)
                .deadline(deadline)
                .build();
    }

    private static ProducerRecord<byte[], byte[]> reply(EconomyClient client, byte[] correlationId, String json) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(client.replyTopic(), null,
                "bob".getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8));
        record.headers().add(ReplyHeaders.CORRELATION_ID, correlationId);
        return record;
    }

    private static String resultJson(String requestId, long balance) {
        return "{\"requestId\":\"" + requestId + "\",\"userId\":\"bob\",\"type\":\"EARN\",\"status\":\"ACCEPTED\","
                + "\"code\":\"OK\",\"amount\":10,\"currency\":\"coins\",\"balance\":" + balance + ",\"transactionId\":"
                + "\"0-1\",\"duplicate\":false,\"processedAt\":\"2026-11-24T11:23:55.869Z\",\"message\":null,"
                + "\"nextAllowedAt\":null,\"metadata\":null}";
    }

    private KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, environment.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
    }

    private KafkaProducer<byte[], byte[]> transactionalProducer(String transactionalId) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, environment.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
    }

    /** Every record of a topic, once at least {@code atLeast} are there. */
    private List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int atLeast) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, environment.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            await().atMost(WAIT).until(() -> {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
                return records.size() >= atLeast;
            });
            return records;
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.ISO_8859_1);
    }
}
