package dev.economyengine.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.economyengine.app.EconomyEngine;
import dev.economyengine.http.ApiClient;
import dev.economyengine.testing.EconomyTestEnvironment;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP writes end to end: a real worker with its write and read tokens set, on the real broker; each write
 * is published through the worker's own request/reply client and answered by the worker's result.
 */
class HttpWritesIntegrationTest {
    private static final String WRITE_TOKEN = "it-write-token-0123456789abcdef";
    private static final String READ_TOKEN = "it-read-token-0123456789abcdef";
    private static final String WRITE = "Bearer " + WRITE_TOKEN;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path workDir;

    private EconomyTestEnvironment environment;
    private EconomyEngine engine;
    private ApiClient api;

    @BeforeEach
    void start() {
        environment = new EconomyTestEnvironment(workDir, 2)
                .with("ECONOMY_HTTP_WRITE_TOKEN", WRITE_TOKEN)
                .with("ECONOMY_HTTP_READ_TOKEN", READ_TOKEN);
        engine = environment.startEngine();
        api = new ApiClient(engine.httpUrl());
        await().atMost(TIMEOUT).until(() -> engine.readiness().ready());
    }

    @AfterEach
    void stop() {
        engine.close();
    }

    @Test
    void earnAndSpend_overHttp_areAnswered200WithTheWorkersResults() {
        JsonNode earned = ok(post("/v1/users/alice/earn", "{\"requestId\":\"login-1\",\"action\":\"daily_login\"}"));
        JsonNode spent = ok(post("/v1/users/alice/spend",
                "{\"requestId\":\"order-1\",\"amount\":4,\"reason\":\"sku:potion\",\"metadata\":{\"shop\":\"web\"}}"));

        assertThat(earned.get("status").asText()).isEqualTo("ACCEPTED");
        assertThat(earned.get("balance").asLong()).isEqualTo(10);
        assertThat(spent.get("status").asText()).isEqualTo("ACCEPTED");
        assertThat(spent.get("userId").asText()).isEqualTo("alice");
        assertThat(spent.get("balance").asLong()).isEqualTo(6);
        assertThat(spent.get("metadata").get("shop").asText()).isEqualTo("web");
        assertThat(spent.get("duplicate").asBoolean()).isFalse();
    }

    @Test
    void spend_overTheBalance_isAnswered200_withItsRejection() {
        JsonNode result = ok(post("/v1/users/bob/spend", "{\"requestId\":\"order-1\",\"amount\":1000}"));

        assertThat(result.get("status").asText()).isEqualTo("REJECTED");
        assertThat(result.get("code").asText()).isEqualTo("INSUFFICIENT_BALANCE");
    }

    @Test
    void earn_ofAnUnknownAction_isAnswered200_withTheWorkersRejection() {
        JsonNode result = ok(post("/v1/users/bob/earn", "{\"requestId\":\"e-1\",\"action\":\"no_such_rule\"}"));

        assertThat(result.get("code").asText()).isEqualTo("UNKNOWN_ACTION");
    }

    @Test
    void sameRequestAgain_isAnsweredWithTheOriginalResult_markedDuplicate() {
        String body = "{\"requestId\":\"login-1\",\"action\":\"daily_login\"}";
        JsonNode first = ok(post("/v1/users/carol/earn", body));

        JsonNode again = ok(post("/v1/users/carol/earn", body));

        assertThat(again.get("duplicate").asBoolean()).isTrue();
        assertThat(again.get("transactionId")).isEqualTo(first.get("transactionId"));
        assertThat(again.get("balance").asLong()).isEqualTo(10);
    }

    @Test
    void write_withWait0_is202PENDING_andItsLocationAnswersOnceDecided() {
        HttpResponse<String> response = post("/v1/users/dave/earn?wait=0", "{\"requestId\":\"login-1\",\"action\":\"daily_login\"}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        String location = ApiClient.json(response).get("location").asText();
        assertThat(location).isEqualTo("/v1/users/dave/requests/login-1");
        await().atMost(TIMEOUT).untilAsserted(() -> {
            HttpResponse<String> result = api.get(location, "Authorization", "Bearer " + READ_TOKEN);
            assertThat(result.statusCode()).as(result.body()).isEqualTo(200);
            assertThat(ApiClient.json(result).get("status").asText()).isEqualTo("ACCEPTED");
        });
    }

    @Test
    void invalidBody_is400NamingTheField_andNothingIsPublished() {
        Map<TopicPartition, Long> before = requestTopicEnds();

        HttpResponse<String> response = post("/v1/users/erin/spend", "{\"amount\":5}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(ApiClient.json(response).get("field").asText()).isEqualTo("requestId");
        assertThat(requestTopicEnds()).isEqualTo(before);
    }

    @Test
    void writes_withoutOrWithAWrongToken_are401Or403_andNothingIsPublished() {
        Map<TopicPartition, Long> before = requestTopicEnds();
        String body = "{\"requestId\":\"x\",\"action\":\"daily_login\"}";

        assertThat(api.send("POST", "/v1/users/erin/earn", body).statusCode()).isEqualTo(401);
        assertThat(api.send("POST", "/v1/users/erin/earn", body, "Authorization", "Bearer " + READ_TOKEN).statusCode())
                .isEqualTo(403);
        assertThat(requestTopicEnds()).isEqualTo(before);
    }

    @Test
    void reads_needTheReadToken_whileHealthStaysOpen() {
        assertThat(api.get("/v1/users/alice/balance").statusCode()).isEqualTo(401);
        assertThat(api.get("/v1/users/alice/balance", "Authorization", "Bearer wrong-token-0123456789").statusCode())
                .isEqualTo(403);
        assertThat(api.get("/v1/users/alice/balance", "Authorization", "Bearer " + READ_TOKEN).statusCode())
                .isEqualTo(200);
        assertThat(api.get("/v1/users/alice/balance", "Authorization", WRITE).statusCode()).isEqualTo(200);
        assertThat(api.get("/health/ready").statusCode()).isEqualTo(200);
        assertThat(api.get("/metrics").statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> post(String pathAndQuery, String body) {
        return api.send("POST", pathAndQuery, body, "Authorization", WRITE, "Content-Type", "application/json");
    }

    private static JsonNode ok(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return ApiClient.json(response);
    }

    private Map<TopicPartition, Long> requestTopicEnds() {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                "bootstrap.servers", environment.bootstrapServers(),
                "key.deserializer", ByteArrayDeserializer.class,
                "value.deserializer", ByteArrayDeserializer.class))) {
            List<TopicPartition> partitions = environment.topics().requestTopics().stream()
                    .flatMap(topic -> consumer.partitionsFor(topic).stream())
                    .map(info -> new TopicPartition(info.topic(), info.partition()))
                    .collect(Collectors.toList());
            return consumer.endOffsets(partitions);
        }
    }
}
