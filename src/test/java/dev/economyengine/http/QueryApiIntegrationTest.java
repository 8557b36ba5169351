package dev.economyengine.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.economyengine.app.EconomyEngine;
import dev.economyengine.testing.EconomyClient;
import dev.economyengine.testing.EconomyTestEnvironment;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The query API of one real worker on a real broker: requests go in through Kafka, answers come out
 * over HTTP, and every response is checked against openapi.yaml. One worker serves every test (each
 * test has users of its own); it owns all partitions, so nothing is redirected here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QueryApiIntegrationTest {
    private EconomyTestEnvironment environment;
    private EconomyEngine engine;
    private EconomyClient kafka;
    private ApiClient api;
    private final OpenApiContract contract = OpenApiContract.load();

    @BeforeAll
    void start(@TempDir Path workDir) {
        environment = new EconomyTestEnvironment(workDir, 2).with("ECONOMY_HTTP_PORT", "0");
        engine = environment.startEngine();
        kafka = new EconomyClient(environment);
        api = new ApiClient(engine.httpUrl());
        await().atMost(EconomyClient.TIMEOUT).until(() -> engine.readiness().ready());
    }

    @AfterAll
    void stop() {
        kafka.close();
        engine.close();
    }

    @Test
    void engine_exposesTheBoundPortAndItsUrl() {
        assertThat(engine.httpPort()).isPositive();
        assertThat(engine.httpUrl()).isEqualTo("http://127.0.0.1:" + engine.httpPort());
    }

    @Test
    void balance_readAfterEachResult_equalsThatResultsBalance_neverStale() {
        long accepted = 0;
        for (int i = 0; i < 12; i++) {
            String requestId = "r" + i;
            if (i % 3 == 2) {
                kafka.spend(requestId, "hana", 15);
            } else {
                kafka.earn(requestId, "hana", "daily_login");
            }
            JsonNode result = kafka.awaitResult("hana", requestId);
            accepted += result.get("status").asText().equals("ACCEPTED") ? 1 : 0;

            HttpResponse<String> response = api.get("/v1/users/hana/balance");

            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode balance = ApiClient.json(response);
            assertThat(balance.get("userId").asText()).isEqualTo("hana");
            assertThat(balance.get("balance").asLong()).as("after %s", requestId).isEqualTo(result.get("balance").asLong());
            assertThat(balance.get("version").asLong()).as("after %s", requestId).isEqualTo(accepted);
            contract.assertConforms("/v1/users/hana/balance", response);
        }
    }

    @Test
    void balance_ofAUserWithNoHistory_isZeroAtVersionZero() {
        HttpResponse<String> response = api.get("/v1/users/nobody-ever/balance");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(ApiClient.json(response).get("balance").asLong()).isZero();
        assertThat(ApiClient.json(response).get("version").asLong()).isZero();
        contract.assertConforms("/v1/users/nobody-ever/balance", response);
    }

    @Test
    void history_pagesNewestFirst_andItsCursorsStayStableWhileNewTransactionsArrive() {
        for (int i = 1; i <= 5; i++) {
            kafka.earn("e" + i, "ivan", "daily_login");
            kafka.awaitResult("ivan", "e" + i);
        }
        JsonNode first = page("/v1/users/ivan/transactions?limit=2");
        assertThat(requestIds(first)).containsExactly("e5", "e4");

        kafka.earn("e6", "ivan", "daily_login");
        kafka.spend("s7", "ivan", 25);
        kafka.awaitResult("ivan", "s7");

        JsonNode second = page("/v1/users/ivan/transactions?limit=2&cursor=" + first.get("nextCursor").asText());
        JsonNode third = page("/v1/users/ivan/transactions?limit=2&cursor=" + second.get("nextCursor").asText());
        assertThat(requestIds(second)).containsExactly("e3", "e2");
        assertThat(requestIds(third)).containsExactly("e1");
        assertThat(third.get("nextCursor").isNull()).isTrue();
        JsonNode fresh = page("/v1/users/ivan/transactions");
        assertThat(requestIds(fresh)).containsExactly("s7", "e6", "e5", "e4", "e3", "e2", "e1");
        assertThat(fresh.get("nextCursor").isNull()).isTrue();
    }

    @Test
    void history_transactionsCarryTheirDoubleEntryLines() {
        kafka.earn("e1", "jana", "game_completion");
        kafka.spend("s1", "jana", 20);
        JsonNode spent = kafka.awaitResult("jana", "s1");

        JsonNode transactions = page("/v1/users/jana/transactions").get("transactions");

        JsonNode spend = transactions.get(0);
        assertThat(spend.get("transactionId").asText()).isEqualTo(spent.get("transactionId").asText());
        assertThat(spend.get("type").asText()).isEqualTo("SPEND");
        assertThat(spend.get("amount").asLong()).isEqualTo(20);
        assertThat(spend.get("reason").asText()).isEqualTo("sku:test");
        assertThat(spend.get("createdAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(spend.get("entries")).hasSize(2);
        assertThat(spend.get("entries").get(0).get("account").asText()).isEqualTo("user:jana");
        assertThat(spend.get("entries").get(0).get("debit").asLong()).isEqualTo(20);
        assertThat(spend.get("entries").get(1).get("credit").asLong()).isEqualTo(20);
        JsonNode earn = transactions.get(1);
        assertThat(earn.get("type").asText()).isEqualTo("EARN");
        assertThat(earn.get("entries").get(1).get("account").asText()).isEqualTo("user:jana");
        assertThat(earn.get("entries").get(1).get("credit").asLong()).isEqualTo(50);
    }

    @Test
    void history_ofAUserWithNoHistory_isAnEmptyLastPage() {
        JsonNode empty = page("/v1/users/nobody-at-all/transactions?limit=500");

        assertThat(empty.get("transactions")).isEmpty();
        assertThat(empty.get("nextCursor").isNull()).isTrue();
    }

    @Test
    void cursorThatIsMalformed_is400InvalidCursor() {
        kafka.earn("e1", "karl", "daily_login");
        kafka.awaitResult("karl", "e1");

        for (String cursor : List.of("not-a-cursor", "aDE6eDprYXJs", "%2F%2F%2F", "aDE6MDprYXJs")) {
            HttpResponse<String> response = api.get("/v1/users/karl/transactions?cursor=" + cursor);
            assertThat(response.statusCode()).as(cursor).isEqualTo(400);
            assertThat(ApiClient.json(response).get("error").asText()).isEqualTo("invalid_cursor");
            assertThat(ApiClient.json(response).get("message").asText()).contains("malformed");
            contract.assertConforms("/v1/users/karl/transactions", response);
        }
    }

    @Test
    void cursorOfAnotherUser_is400InvalidCursor() {
        for (int i = 0; i < 3; i++) {
            kafka.earn("e" + i, "lena", "daily_login");
        }
        kafka.awaitResult("lena", "e2");
        String lenasCursor = page("/v1/users/lena/transactions?limit=1").get("nextCursor").asText();

        HttpResponse<String> response = api.get("/v1/users/mona/transactions?cursor=" + lenasCursor);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(ApiClient.json(response).get("error").asText()).isEqualTo("invalid_cursor");
        assertThat(ApiClient.json(response).get("message").asText()).contains("another user");
        contract.assertConforms("/v1/users/mona/transactions", response);
    }

    @Test
    void storedResult_isTheResultEventByteForByte_forAcceptedAndRejectedRequests() {
        kafka.send(environment.topics().earnRequests(), "nina", "{\"requestId\":\"e1\",\"userId\":\"nina\","
                + "\"action\":\"game_win\",\"metadata\":{\"match\":\"m-7\",\"score\":[3, 1]}}");
        kafka.spend("too-much", "nina", 1_000);
        kafka.earn("odd", "nina", "found_a_coin");

        for (String requestId : List.of("e1", "too-much", "odd")) {
            JsonNode event = kafka.awaitResult("nina", requestId);
            String path = "/v1/users/nina/requests/" + requestId;

            HttpResponse<String> response = api.get(path);

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
            assertThat(ApiClient.json(response)).as(requestId).isEqualTo(event);
            contract.assertConforms(path, response);
        }
    }

    @Test
    void storedResult_ofARepeatedRequest_isTheOriginalResult_notTheDuplicate() {
        kafka.earn("e1", "otto", "daily_login");
        JsonNode original = kafka.awaitResult("otto", "e1");
        kafka.earn("e1", "otto", "daily_login");
        kafka.awaitResult(r -> r.get("userId").asText().equals("otto") && r.get("duplicate").asBoolean());

        JsonNode stored = ApiClient.json(api.get("/v1/users/otto/requests/e1"));

        assertThat(stored).isEqualTo(original);
        assertThat(stored.get("duplicate").asBoolean()).isFalse();
    }

    @Test
    void idsWithReservedCharacters_arePercentEncodedInThePath() {
        String user = "pia/é 1";
        kafka.earn("req/1?", user, "daily_login");
        JsonNode event = kafka.awaitResult(user, "req/1?");

        HttpResponse<String> balance = api.get("/v1/users/pia%2F%C3%A9%201/balance");
        HttpResponse<String> result = api.get("/v1/users/pia%2F%C3%A9%201/requests/req%2F1%3F");

        assertThat(ApiClient.json(balance).get("balance").asLong()).isEqualTo(10);
        assertThat(ApiClient.json(balance).get("userId").asText()).isEqualTo(user);
        assertThat(ApiClient.json(result)).isEqualTo(event);
    }

    @Test
    void unknownRequest_is404JsonRequestNotFound() {
        String path = "/v1/users/quinn/requests/never-sent";

        HttpResponse<String> response = api.get(path);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(ApiClient.json(response).get("error").asText()).isEqualTo("request_not_found");
        assertThat(ApiClient.json(response).get("message").asText()).contains("never-sent").contains("quinn");
        contract.assertConforms(path, response);
    }

    @Test
    void health_isLiveAndReady_onceTheWorkerHasItsPartitions() {
        HttpResponse<String> live = api.get("/health/live");
        HttpResponse<String> ready = api.get("/health/ready");

        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ApiClient.json(ready).get("reason").asText()).contains("processing partitions");
        contract.assertConforms("/health/live", live);
        contract.assertConforms("/health/ready", ready);
    }

    @Test
    void metrics_afterTraffic_containEveryDocumentedMetric() {
        kafka.earn("e1", "rosa", "daily_login");
        kafka.spend("s1", "rosa", 500);
        kafka.earn("e1", "rosa", "daily_login");
        kafka.send(environment.topics().earnRequests(), "rosa", "not json");
        kafka.awaitResult(r -> r.get("userId").asText().equals("rosa") && r.get("duplicate").asBoolean());
        kafka.awaitDeadLetters(1);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            HttpResponse<String> response = api.get("/metrics");
            assertThat(response.statusCode()).isEqualTo(200);
            contract.assertConforms("/metrics", response);
            String text = response.body();
            assertThat(text).contains(
                    "economy_requests_total{duplicate=\"false\",outcome=\"ACCEPTED\",type=\"EARN\"}",
                    "economy_requests_total{duplicate=\"false\",outcome=\"INSUFFICIENT_BALANCE\",type=\"SPEND\"}",
                    "economy_requests_total{duplicate=\"true\",outcome=\"ACCEPTED\",type=\"EARN\"}",
                    "economy_dlq_records_total",
                    "economy_consumer_lag{partition=\"0\",topic=\"" + environment.topics().earnRequests() + "\"}",
                    "economy_consumer_lag{partition=\"1\",topic=\"" + environment.topics().spendRequests() + "\"}",
                    "economy_batch_size_records_count",
                    "economy_batch_size_records_bucket",
                    "economy_kafka_commit_seconds_count",
                    "economy_kafka_commit_seconds_bucket",
                    "economy_sqlite_commit_seconds_count",
                    "economy_restore_remaining_records{partition=\"0\"}",
                    "economy_restore_restored_records{partition=\"1\"}",
                    "economy_worker_ready 1.0",
                    "kafka_consumer_fetch_manager_records_consumed_total",
                    "kafka_producer_record_send_total");
            assertThat(value(text, "economy_dlq_records_total")).isGreaterThanOrEqualTo(1);
            assertThat(value(text, "economy_requests_total{duplicate=\"true\",outcome=\"ACCEPTED\",type=\"EARN\"}"))
                    .isGreaterThanOrEqualTo(1);
            assertThat(value(text, "economy_kafka_commit_seconds_count")).isGreaterThanOrEqualTo(1);
        });
    }

    private JsonNode page(String pathAndQuery) {
        HttpResponse<String> response = api.get(pathAndQuery);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        contract.assertConforms(pathAndQuery.replaceFirst("\\?.*", ""), response);
        return ApiClient.json(response);
    }

    private static List<String> requestIds(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("transactions").forEach(t -> ids.add(t.get("requestId").asText()));
        return ids;
    }

    /** The value of the first sample line that starts with the series. */
    private static double value(String prometheusText, String series) {
        for (String line : prometheusText.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        throw new AssertionError("no sample " + series);
    }
}
