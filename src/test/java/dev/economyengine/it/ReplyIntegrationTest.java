package dev.economyengine.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.economyengine.app.EconomyEngine;
import dev.economyengine.client.ReplyHeaders;
import dev.economyengine.http.ApiClient;
import dev.economyengine.testing.EconomyClient;
import dev.economyengine.testing.EconomyTestEnvironment;
import dev.economyengine.testing.Json;
import dev.economyengine.testing.TopicRecords;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Requests that carry reply headers (Spring Kafka's names and encodings, {@link ReplyHeaders}) are
 * also answered on the reply topic they name, in the batch's transaction; a reply the worker must
 * refuse costs that reply only. One real worker and broker for all the cases; each case has users of
 * its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplyIntegrationTest {
    private static final int PARTITIONS = 2;
    private static final int REPLY_PARTITIONS = 3;
    private static final String READ_COMMITTED = "read_committed";
    private static final AtomicInteger USERS = new AtomicInteger();

    private EconomyTestEnvironment environment;
    private EconomyEngine engine;
    private EconomyClient client;
    /** The one reply topic of the game service. */
    private String replies;
    /** A topic that exists, but that the configured pattern does not allow. */
    private String notAllowed;

    @BeforeAll
    void start(@TempDir Path workDir) {
        String id = UUID.randomUUID().toString().substring(0, 8);
        environment = new EconomyTestEnvironment(workDir, PARTITIONS);
        replies = "economy.replies.shop-" + id;
        notAllowed = "shop-" + id + ".replies";
        TopicRecords.create(environment.bootstrapServers(), replies, REPLY_PARTITIONS);
        TopicRecords.create(environment.bootstrapServers(), notAllowed, 1);
        // The worker's own topics (t<id>.earn, ...) match too: only the own-topic rule keeps replies out of them.
        environment.with("ECONOMY_REPLY_TOPIC_PATTERN", "economy\\.replies\\..+|t[0-9a-f]{8}\\..+");
        engine = environment.startEngine();
        client = new EconomyClient(environment);
    }

    @AfterAll
    void stop() {
        client.close();
        engine.close();
    }

    @Test
    void earnAndSpendAskingForReplies_areAnsweredOnceEach_withTheResultsBytes_inTheGivenPartition_andTheirCorrelationId() {
        String user = newUser();
        double sentBefore = metric("economy_replies_sent_total");
        client.send(earn(user, "e1", asking(replies, 2, "c-e1")));
        client.awaitResult(user, "e1");
        client.send(spend(user, "s1", 5, asking(replies, null, "c-s1")));
        client.send(spend(user, "s2", 1_000, asking(replies, 0, null)));
        client.awaitResult(user, "s2");

        List<ConsumerRecord<byte[], byte[]>> answers = repliesTo(user);
        assertThat(answers).extracting(ReplyIntegrationTest::requestId).containsExactlyInAnyOrder("e1", "s1", "s2");
        for (ConsumerRecord<byte[], byte[]> answer : answers) {
            ConsumerRecord<byte[], byte[]> result = onlyResult(user, requestId(answer));
            assertThat(answer.value()).as("the reply's bytes").isEqualTo(result.value());
            assertThat(answer.key()).isEqualTo(result.key());
        }
        assertThat(answer(answers, "e1").partition()).isEqualTo(2);
        assertThat(answer(answers, "s2").partition()).isZero();
        assertThat(Json.parse(answer(answers, "s2").value()).get("code").asText()).isEqualTo("INSUFFICIENT_BALANCE");
        assertThat(correlationId(answer(answers, "e1"))).isEqualTo("c-e1");
        assertThat(correlationId(answer(answers, "s1"))).isEqualTo("c-s1");
        assertThat(answer(answers, "s2").headers().lastHeader(ReplyHeaders.CORRELATION_ID)).isNull();
        await().atMost(EconomyClient.TIMEOUT)
                .until(() -> metric("economy_replies_sent_total") - sentBefore, sent -> sent == 3);
    }

    @Test
    void requestSentAgain_isAnsweredAgain_asADuplicate_onTheReplyTopicItNowNames() {
        String user = newUser();
        client.send(earn(user, "e1", asking(replies, 0, "first")));
        JsonNode original = client.awaitResult(user, "e1");
        client.send(earn(user, "e1", asking(replies, 1, "second")));
        client.awaitResult(r -> r.get("userId").asText().equals(user) && r.get("duplicate").asBoolean());

        List<ConsumerRecord<byte[], byte[]>> answers = repliesTo(user);
        assertThat(answers).hasSize(2);
        ConsumerRecord<byte[], byte[]> again = answers.stream().filter(a -> a.partition() == 1).findFirst().orElseThrow();
        JsonNode duplicate = Json.parse(again.value());
        assertThat(duplicate.get("duplicate").asBoolean()).isTrue();
        assertThat(duplicate.get("transactionId")).isEqualTo(original.get("transactionId"));
        assertThat(correlationId(again)).isEqualTo("second");
    }

    /** A reply the worker refuses, with the reason its metric counts. */
    record Refusal(String name, String reason, Consumer<Headers> headers) {
        @Override
        public String toString() {
            return name;
        }
    }

    Stream<Arguments> refusals() {
        List<Refusal> refusals = new ArrayList<>(List.of(
                new Refusal("a topic the pattern does not allow", "pattern", h -> h.add(topic(notAllowed))),
                new Refusal("a topic that does not exist", "missing_topic",
                        h -> h.add(topic("economy.replies.missing-" + UUID.randomUUID()))),
                new Refusal("a partition header of 3 bytes", "bad_partition",
                        h -> h.add(topic(replies)).add(ReplyHeaders.REPLY_PARTITION, new byte[] {0, 0, 1})),
                new Refusal("a partition past the topic's last", "bad_partition",
                        h -> h.add(topic(replies)).add(partition(REPLY_PARTITIONS))),
                new Refusal("a negative partition", "bad_partition",
                        h -> h.add(topic(replies)).add(partition(-1)))));
        for (String own : environment.topics().all()) {
            refusals.add(new Refusal("the worker's own topic " + own, "own_topic", h -> h.add(topic(own))));
        }
        return refusals.stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void replyRefused_costsTheReplyOnly_theResultIsPublished_andRequestsInTheSameAndNextBatchAreAnswered(
            Refusal refusal) {
        String user = newUser();
        String series = "economy_replies_refused_total{reason=\"" + refusal.reason() + "\"}";
        double refusedBefore = metric(series);
        RecordHeaders refused = new RecordHeaders();
        refusal.headers().accept(refused);
        refused.add(ReplyHeaders.CORRELATION_ID, utf8("refused"));
        client.send(earn(user, "r1", refused));
        client.send(earn(user, "r2", asking(replies, null, "r2")));
        client.awaitResult(user, "r2");
        client.send(earn(user, "r3", asking(replies, null, "r3")));
        client.awaitResult(user, "r3");

        assertThat(onlyResult(user, "r1").value()).isNotEmpty();
        assertThat(repliesTo(user)).extracting(ReplyIntegrationTest::requestId).containsExactlyInAnyOrder("r2", "r3");
        await().atMost(EconomyClient.TIMEOUT).until(() -> metric(series) - refusedBefore, counted -> counted == 1);
    }

    private static String newUser() {
        return "player-" + USERS.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 4);
    }

    private ProducerRecord<byte[], byte[]> earn(String user, String requestId, Headers headers) {
        return new ProducerRecord<>(environment.topics().earnRequests(), null, utf8(user), utf8(
                "{\"requestId\":\"" + requestId + "\",\"userId\":\"" + user + "\",\"action\":\"daily_login\"}"),
                headers);
    }

    private ProducerRecord<byte[], byte[]> spend(String user, String requestId, long amount, Headers headers) {
        return new ProducerRecord<>(environment.topics().spendRequests(), null, utf8(user), utf8(
                "{\"requestId\":\"" + requestId + "\",\"userId\":\"" + user + "\",\"amount\":" + amount + "}"),
                headers);
    }

    /** Reply headers as Spring's ReplyingKafkaTemplate writes them; a null partition or id is left out. */
    private static Headers asking(String topic, Integer partition, String correlationId) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(topic(topic));
        if (partition != null) {
            headers.add(partition(partition));
        }
        if (correlationId != null) {
            headers.add(ReplyHeaders.CORRELATION_ID, utf8(correlationId));
        }
        return headers;
    }

    private static Header topic(String topic) {
        return new RecordHeader(ReplyHeaders.REPLY_TOPIC, utf8(topic));
    }

    private static Header partition(int partition) {
        return new RecordHeader(ReplyHeaders.REPLY_PARTITION, ReplyHeaders.encodePartition(partition));
    }

    /** The user's records on the reply topic, read_committed. */
    private List<ConsumerRecord<byte[], byte[]>> repliesTo(String user) {
        return TopicRecords.readAll(environment.bootstrapServers(), replies, READ_COMMITTED).stream()
                .filter(r -> Arrays.equals(r.key(), utf8(user))).toList();
    }

    /** The one record of the request on the results topic, read_committed. */
    private ConsumerRecord<byte[], byte[]> onlyResult(String user, String requestId) {
        List<ConsumerRecord<byte[], byte[]>> results = TopicRecords.readAll(environment.bootstrapServers(),
                        environment.topics().results(), READ_COMMITTED).stream()
                .filter(r -> Arrays.equals(r.key(), utf8(user)) && requestId(r).equals(requestId)).toList();
        assertThat(results).as("results of %s", requestId).hasSize(1);
        return results.get(0);
    }

    private static ConsumerRecord<byte[], byte[]> answer(List<ConsumerRecord<byte[], byte[]>> answers, String requestId) {
        return answers.stream().filter(a -> requestId(a).equals(requestId)).findFirst().orElseThrow();
    }

    private static String requestId(ConsumerRecord<byte[], byte[]> record) {
        return Json.parse(record.value()).get("requestId").asText();
    }

    private static String correlationId(ConsumerRecord<byte[], byte[]> record) {
        return new String(record.headers().lastHeader(ReplyHeaders.CORRELATION_ID).value(), StandardCharsets.UTF_8);
    }

    private double metric(String series) {
        String metrics = new ApiClient(engine.httpUrl()).get("/metrics").body();
        return metrics.lines().filter(line -> line.startsWith(series + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(series.length()).trim()))
                .findFirst().orElseThrow(() -> new AssertionError("no series " + series + " in\n" + metrics));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
