package dev.economyengine.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.economyengine.http.RequestSubmitter.Answer;
import dev.economyengine.ledger.RequestType;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The HTTP writes on the real server, with the worker behind them scripted: what is refused before anything
 * is published (and how), what is published (byte for byte), and how the answer or its absence is told.
 * Every response is checked against openapi.yaml.
 */
class HttpWritesTest {
    static final String TOKEN = "write-token-0123456789abcdef";
    private static final String AUTH = "Bearer " + TOKEN;

    private final ScriptedSubmitter worker = new ScriptedSubmitter();
    private final StandaloneApi api = new StandaloneApi(AccessTokens.of(Optional.of(TOKEN), Optional.empty()),
            Optional.of(worker));
    private final OpenApiContract contract = OpenApiContract.load();

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void earn_withTheWriteToken_isAnswered200WithTheWorkersResult() {
        HttpResponse<String> response = post("/v1/users/alice/earn",
                "{\"requestId\":\"login-1\",\"action\":\"daily_login\",\"reason\":\"streak\",\"metadata\":{\"m\":1}}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(new String(ScriptedSubmitter.result(worker.writes.get(0))));
        assertThat(worker.writes).singleElement().satisfies(write -> {
            assertThat(write.type()).isEqualTo(RequestType.EARN);
            assertThat(write.userId()).isEqualTo("alice");
            assertThat(write.requestId()).isEqualTo("login-1");
        });
        contract.assertPostConforms("/v1/users/alice/earn", response);
    }

    @Test
    void spend_publishesTheBodyAsSent_withThePathsUserPutFirst() {
        HttpResponse<String> response = post("/v1/users/alice/spend",
                " {\"requestId\": \"order-1\", \"amount\": 1.2e2, \"currency\": \"gems\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(worker.writes.get(0).type()).isEqualTo(RequestType.SPEND);
        assertThat(worker.body(0))
                .isEqualTo("{\"userId\":\"alice\",\"requestId\": \"order-1\", \"amount\": 1.2e2, \"currency\": \"gems\"}");
        contract.assertPostConforms("/v1/users/alice/spend", response);
    }

    @Test
    void body_namingThePathsUser_isPublishedUnchanged() {
        String body = "{\"requestId\":\"order-2\",\"userId\":\"alice\",\"amount\":4}";

        assertThat(post("/v1/users/alice/spend", body).statusCode()).isEqualTo(200);
        assertThat(worker.body(0)).isEqualTo(body);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"requestId\":\"r\",\"amount\":-5}",
        "{\"requestId\":\"r\",\"amount\":\"5\"}",
        "{\"requestId\":\"r\",\"amount\":5,\"currency\":\"doubloons\"}",
        "{\"requestId\":\"r\",\"amount\":5,\"reason\":7,\"metadata\":[1]}",
    })
    void spend_theWorkerWouldReject_isStillPublished_forItsRejectionToAnswer(String body) {
        assertThat(post("/v1/users/alice/spend", body).statusCode()).isEqualTo(200);
        assertThat(worker.writes).hasSize(1);
    }

    @Test
    void earn_ofAnUnknownAction_isStillPublished() {
        assertThat(post("/v1/users/alice/earn", "{\"requestId\":\"r\",\"action\":\"no_such_rule\"}").statusCode())
                .isEqualTo(200);
        assertThat(worker.writes).hasSize(1);
    }

    @Test
    void write_notAnsweredWithinTheWait_is202WithWhereItsResultWillBe() {
        worker.answer = write -> CompletableFuture.completedFuture(new Answer.Pending());

        HttpResponse<String> response = post("/v1/users/a%20b%2Fc/earn?wait=0",
                "{\"requestId\":\"login/1\",\"action\":\"daily_login\"}");

        assertThat(response.statusCode()).isEqualTo(202);
        JsonNode pending = ApiClient.json(response);
        assertThat(pending.get("requestId").asText()).isEqualTo("login/1");
        assertThat(pending.get("userId").asText()).isEqualTo("a b/c");
        assertThat(pending.get("status").asText()).isEqualTo("PENDING");
        assertThat(pending.get("location").asText()).isEqualTo("/v1/users/a%20b%2Fc/requests/login%2F1");
        assertThat(response.headers().firstValue("Location")).contains("/v1/users/a%20b%2Fc/requests/login%2F1");
        contract.assertPostConforms("/v1/users/a%20b%2Fc/earn", response);
    }

    @ParameterizedTest
    @CsvSource({"'', 5000", "?wait=0, 0", "?wait=250, 250", "?wait=30000, 30000"})
    void wait_isHandedToTheWorker_5000MsUnlessGiven(String query, long waitMs) {
        assertThat(post("/v1/users/alice/earn" + query, "{\"requestId\":\"r\",\"action\":\"daily_login\"}")
                .statusCode()).isEqualTo(200);
        assertThat(worker.waits).containsExactly(Duration.ofMillis(waitMs));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "30001", "abc", "1.5", "", "1e3", "99999999999"})
    void wait_outOfRangeOrNotANumber_is400_andNothingIsPublished(String wait) {
        HttpResponse<String> response = post("/v1/users/alice/earn?wait=" + wait,
                "{\"requestId\":\"r\",\"action\":\"daily_login\"}");

        assertError(response, 400, "invalid_wait");
        assertThat(worker.writes).isEmpty();
        contract.assertPostConforms("/v1/users/alice/earn", response);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        "not json                                   | -",
        "[{\"requestId\":\"r\"}]                    | -",
        "\"r\"                                      | -",
        "{\"requestId\":\"a\",\"requestId\":\"b\"}  | -",
        "{\"requestId\":\"r\"} {}                   | -",
        "{}                                         | requestId",
        "{\"requestId\":null}                       | requestId",
        "{\"requestId\":5}                          | requestId",
        "{\"requestId\":\"\"}                       | requestId",
        "{\"requestId\":\"\\ud800\"}                | requestId",
        "{\"requestId\":\"r\",\"userId\":\"bob\"}   | userId",
        "{\"requestId\":\"r\",\"userId\":null}      | userId",
        "{\"requestId\":\"r\",\"reason\":\"\\udc00\"} | reason",
    })
    void body_theWorkerCouldNotAnswer_is400NamingTheField_andNothingIsPublished(String body, String field) {
        HttpResponse<String> response = post("/v1/users/alice/spend", body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonNode error = ApiClient.json(response);
        assertThat(error.get("error").asText()).isEqualTo("invalid_request");
        assertThat(error.get("field").isNull() ? null : error.get("field").asText()).isEqualTo(field);
        assertThat(worker.writes).isEmpty();
        contract.assertPostConforms("/v1/users/alice/spend", response);
    }

    @Test
    void requestId_over128Characters_is400NamingIt() {
        HttpResponse<String> response = post("/v1/users/alice/earn", "{\"requestId\":\"" + "r".repeat(129) + "\"}");

        assertThat(ApiClient.json(response).get("field").asText()).isEqualTo("requestId");
        assertThat(worker.writes).isEmpty();
    }

    @Test
    void pathUser_over128Characters_is400NamingUserId() {
        String user = "u".repeat(129);
        HttpResponse<String> response = post("/v1/users/" + user + "/earn", "{\"requestId\":\"r\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(ApiClient.json(response).get("field").asText()).isEqualTo("userId");
        assertThat(worker.writes).isEmpty();
    }

    @Test
    void body_over64KiB_is413_andNothingIsPublished() {
        String body = "{\"requestId\":\"r\",\"reason\":\"" + "x".repeat(WriteEndpoint.MAX_BODY_BYTES) + "\"}";

        HttpResponse<String> response = post("/v1/users/alice/spend", body);

        assertError(response, 413, "content_too_large");
        assertThat(worker.writes).isEmpty();
        contract.assertPostConforms("/v1/users/alice/spend", response);
    }

    @Test
    void write_thatCannotBePublished_is503_sayingThatSendingItAgainIsSafe() {
        worker.answer = write -> CompletableFuture.failedFuture(new IllegalStateException("broker unreachable"));

        HttpResponse<String> response = post("/v1/users/alice/earn", "{\"requestId\":\"r\",\"action\":\"daily_login\"}");

        assertError(response, 503, "write_unconfirmed");
        assertThat(ApiClient.json(response).get("message").asText()).contains("broker unreachable", "same requestId");
        assertThat(response.headers().firstValue("Retry-After")).contains("1");
        contract.assertPostConforms("/v1/users/alice/earn", response);
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "PUT", "DELETE"})
    void otherMethods_onAWriteRoute_are405AllowingPost(String method) {
        HttpResponse<String> response = api.client().send(method, "/v1/users/alice/earn");

        assertError(response, 405, "method_not_allowed");
        assertThat(response.headers().firstValue("Allow")).contains("POST");
    }

    @ParameterizedTest
    @ValueSource(strings = {"earn", "spend"})
    void write_withoutAToken_is401AskingForABearerToken(String route) {
        HttpResponse<String> response = api.client().send("POST", "/v1/users/alice/" + route, "{\"requestId\":\"r\"}");

        assertError(response, 401, "unauthorized");
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                value -> assertThat(value).startsWith("Bearer"));
        assertThat(worker.writes).isEmpty();
        contract.assertPostConforms("/v1/users/alice/" + route, response);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Basic d3JpdGU6dG9rZW4=", "Bearer", "Bearer ", TOKEN})
    void write_withAnAuthorizationThatIsNoBearerToken_is401(String authorization) {
        HttpResponse<String> response = api.client().send("POST", "/v1/users/alice/earn", "{\"requestId\":\"r\"}",
                "Authorization", authorization);

        assertError(response, 401, "unauthorized");
        assertThat(worker.writes).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bearer wrong-token-0123456789ab", "Bearer " + TOKEN + "x", "Bearer write-token"})
    void write_withAWrongToken_is403_andNothingIsPublished(String authorization) {
        HttpResponse<String> response = api.client().send("POST", "/v1/users/alice/spend", "{\"requestId\":\"r\"}",
                "Authorization", authorization);

        assertError(response, 403, "forbidden");
        assertThat(worker.writes).isEmpty();
        contract.assertPostConforms("/v1/users/alice/spend", response);
    }

    @Test
    void bearerScheme_isCaseInsensitive() {
        HttpResponse<String> response = api.client().send("POST", "/v1/users/alice/earn",
                "{\"requestId\":\"r\",\"action\":\"daily_login\"}", "Authorization", "bearer " + TOKEN);

        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void write_withNoWriteTokenConfigured_is403SayingHowToEnableWrites() {
        ScriptedSubmitter unused = new ScriptedSubmitter();
        try (StandaloneApi closed = new StandaloneApi(AccessTokens.none(), Optional.of(unused))) {
            HttpResponse<String> response = closed.client().send("POST", "/v1/users/alice/earn",
                    "{\"requestId\":\"r\"}", "Authorization", AUTH);

            assertError(response, 403, "writes_disabled");
            assertThat(ApiClient.json(response).get("message").asText())
                    .contains("ECONOMY_HTTP_WRITE_TOKEN", "Authorization: Bearer");
            assertThat(unused.writes).isEmpty();
            contract.assertPostConforms("/v1/users/alice/earn", response);
        }
    }

    private HttpResponse<String> post(String pathAndQuery, String body) {
        return api.client().send("POST", pathAndQuery, body, "Authorization", AUTH, "Content-Type", "application/json");
    }

    static void assertError(HttpResponse<String> response, int status, String error) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(ApiClient.json(response).get("error").asText()).isEqualTo(error);
    }
}
