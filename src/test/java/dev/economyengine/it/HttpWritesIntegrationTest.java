package dev.economyengine.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.economyengine.app.EconomyEngine;
import dev.economyengine.http.ApiClient;
import dev.economyengine.testing.CommandProcess;
import dev.economyengine.testing.EconomyTestEnvironment;
import dev.economyengine.testing.WorkerProcess;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Utils;
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
    private static final String READ = "Bearer " + READ_TOKEN;
    private static final String LOGIN = "{\"requestId\":\"login-1\",\"action\":\"daily_login\"}";
    private static final int PARTITIONS = 2;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path workDir;

    private EconomyTestEnvironment environment;
    private EconomyEngine engine;
    private ApiClient api;

    @BeforeEach
    void start() {
        environment = new EconomyTestEnvironment(workDir, PARTITIONS)
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

    /**
     * The user's partition belongs to a worker frozen with SIGSTOP (a long GC pause, a frozen VM): the write
     * is published, nobody decides it within the wait, and the API says where to look; once the worker runs
     * again, the location has the result.
     */
    @Test
    void write_whileTheUsersWorkerIsStopped_is202PENDING_andItsLocationAnswersOnceTheWorkerRuns() {
        Map<String, String> otherEnv = new HashMap<>(environment.env());
        otherEnv.put("ECONOMY_DATA_DIR", workDir.resolve("data-other").toString());
        otherEnv.remove("ECONOMY_HTTP_WRITE_TOKEN");
        try (WorkerProcess other = WorkerProcess.start(otherEnv, workDir.resolve("other.log"))) {
            await().atMost(TIMEOUT).until(() -> engine.ownedPartitions().size() == 1);
            String user = userOfPartition(1 - engine.ownedPartitions().iterator().next());
            // Answered while the other worker runs: its shard of the user is live.
            await().atMost(TIMEOUT).until(() -> post("/v1/users/" + user + "/earn", LOGIN).statusCode() == 200);

            other.pause();
            HttpResponse<String> response = post("/v1/users/" + user + "/spend?wait=1000",
                    "{\"requestId\":\"order-1\",\"amount\":4}");

            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
            JsonNode pending = ApiClient.json(response);
            String location = "/v1/users/" + user + "/requests/order-1";
            assertThat(pending.get("status").asText()).isEqualTo("PENDING");
            assertThat(pending.get("location").asText()).isEqualTo(location);
            assertThat(response.headers().firstValue("Location")).contains(location);

            other.resume();
            await().atMost(TIMEOUT).untilAsserted(() -> {
                HttpResponse<String> result = getFollowingRedirect(location);
                assertThat(result.statusCode()).as(result.body()).isEqualTo(200);
                assertThat(ApiClient.json(result).get("status").asText()).isEqualTo("ACCEPTED");
                assertThat(ApiClient.json(result).get("balance").asLong()).isEqualTo(6);
            });
        }
    }

    /**
     * The log of a worker process, as an operator reads it (its own logging configuration), after writes and
     * queries with the right tokens and with a wrong one: no token's text is in it.
     */
    @Test
    void tokens_neverAppearInAWorkersLog() {
        String wrongToken = "wrong-token-fedcba9876543210";
        Map<String, String> env = new HashMap<>(environment.env());
        env.put("ECONOMY_DATA_DIR", workDir.resolve("data-logged").toString());
        try (CommandProcess worker = CommandProcess.start(List.of("run"), env, workDir, "logged")) {
            ApiClient logged = new ApiClient(worker.awaitReady());
            String body = "{\"requestId\":\"login-1\",\"action\":\"daily_login\"}";

            assertThat(logged.send("POST", "/v1/users/gail/earn", body, "Authorization", WRITE).statusCode())
                    .isEqualTo(200);
            assertThat(logged.send("POST", "/v1/users/gail/earn", body, "Authorization", "Bearer " + wrongToken)
                    .statusCode()).isEqualTo(403);
            assertThat(logged.get("/v1/users/gail/balance", "Authorization", READ).statusCode()).isIn(200, 307);
            assertThat(logged.get("/v1/users/gail/balance", "Authorization", "Bearer " + wrongToken).statusCode())
                    .isEqualTo(403);
            worker.terminate();
            assertThat(worker.awaitExit(TIMEOUT)).as("the worker stops on SIGTERM").isPresent();

            String log = worker.stdout() + worker.stderr();
            assertThat(log).as("the worker's log").contains("HTTP writes enabled")
                    .doesNotContain(WRITE_TOKEN).doesNotContain(READ_TOKEN).doesNotContain(wrongToken);
        } finally {
            CommandProcess.keepOutputs(workDir, "HttpWritesIntegrationTest-tokens");
        }
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

    /** The answer to a query of this worker, or of the worker its 307 names, as a client of the API would. */
    private HttpResponse<String> getFollowingRedirect(String path) {
        HttpResponse<String> response = api.get(path, "Authorization", READ);
        if (response.statusCode() != 307) {
            return response;
        }
        URI owner = URI.create(response.headers().firstValue("Location").orElseThrow());
        return new ApiClient(owner.getScheme() + "://" + owner.getAuthority())
                .get(owner.getRawPath(), "Authorization", READ);
    }

    private static String userOfPartition(int partition) {
        for (int i = 0; ; i++) {
            String user = "user-" + i;
            if (Utils.toPositive(Utils.murmur2(user.getBytes(StandardCharsets.UTF_8))) % PARTITIONS == partition) {
                return user;
            }
        }
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
