package dev.economyengine.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every error is JSON with the right status, including requests no HTTP client would send, which go
 * over a raw socket. Checked against openapi.yaml. No worker is needed: these never reach a shard.
 */
class HttpErrorsTest {
    private final StandaloneApi api = new StandaloneApi();
    private final OpenApiContract contract = OpenApiContract.load();

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void unknownRoute_is404Json() {
        HttpResponse<String> response = api.client().get("/v1/accounts/alice");

        assertError(response, 404, "unknown_route");
        contract.assertMatchesSchema("Error", response.body());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/v1", "/v1/users/alice", "/v1/users/alice/balance/", "/v1/users/alice/requests",
            "/v1/users/alice/requests/", "/v1/users//balance", "/metrics/x", "/health"})
    void pathsNextToARoute_are404Json(String path) {
        RawHttp.Response response = RawHttp.exchange(api.port(), "GET " + path + " HTTP/1.1");

        assertThat(response.status()).as(path).isIn(400, 404);
        assertThat(response.header("Content-Type")).startsWith("application/json");
        contract.assertMatchesSchema("Error", response.body());
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "DELETE", "PATCH", "OPTIONS"})
    void wrongMethod_onARoute_is405JsonWithAllowGet(String method) {
        HttpResponse<String> response = api.client().send(method, "/v1/users/alice/balance");

        assertError(response, 405, "method_not_allowed");
        assertThat(response.headers().firstValue("Allow")).contains("GET");
        contract.assertMatchesSchema("Error", response.body());
    }

    @Test
    void wrongMethod_onAnUnknownRoute_is404() {
        assertError(api.client().send("POST", "/v1/nothing"), 404, "unknown_route");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "501", "-1", "abc", "1.5", "", "+5", "1e2", "99999999999999999999", "%205"})
    void limitOutOfRangeOrNotAWholeNumber_is400InvalidLimit(String limit) {
        HttpResponse<String> response = api.client().get("/v1/users/alice/transactions?limit=" + limit);

        assertError(response, 400, "invalid_limit");
        assertThat(ApiClient.json(response).get("message").asText()).contains("1 to 500");
        contract.assertConforms("/v1/users/alice/transactions", response);
    }

    @Test
    void emptyCursor_is400InvalidCursor() {
        HttpResponse<String> response = api.client().get("/v1/users/alice/transactions?cursor=");

        assertError(response, 400, "invalid_cursor");
        contract.assertConforms("/v1/users/alice/transactions", response);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1/users/%zz/balance", "/v1/users/%/balance", "/v1/users/abc%4/balance",
            "/v1/users/%C3/balance", "/v1/users/%FF%FE/balance", "/v1/users/alice/transactions?cursor=%G0",
            "/v1/users/alice/transactions?limit=%"})
    void badPercentEncoding_is400MalformedUrl(String target) {
        RawHttp.Response response = RawHttp.exchange(api.port(), "GET " + target + " HTTP/1.1");

        assertThat(response.status()).as(target).isEqualTo(400);
        assertThat(response.header("Content-Type")).startsWith("application/json");
        assertThat(ApiClient.json(response.body()).get("error").asText()).isEqualTo("malformed_url");
        contract.assertMatchesSchema("Error", response.body());
    }

    @ParameterizedTest
    @ValueSource(strings = {"GARBAGE", "GET", "GET /health/live HTTP/1.1 extra", "GET /a b HTTP/1.1",
            "GET\t/health/live HTTP/1.1", "\u00e9 / HTTP/1.1"})
    void malformedRequestLine_is400Json(String requestLine) {
        RawHttp.Response response = RawHttp.exchange(api.port(), requestLine);

        assertThat(response.status()).as(requestLine).isEqualTo(400);
        assertThat(response.header("Content-Type")).startsWith("application/json");
        contract.assertMatchesSchema("Error", response.body());
    }

    @Test
    void requestLineLongerThan8KiB_is414Json() {
        String target = "/v1/users/" + "a".repeat(HttpEndpoint.MAX_REQUEST_HEADER_BYTES + 1) + "/balance";

        RawHttp.Response response = RawHttp.exchange(api.port(), "GET " + target + " HTTP/1.1");

        assertThat(response.status()).isEqualTo(414);
        assertThat(response.header("Content-Type")).startsWith("application/json");
        assertThat(ApiClient.json(response.body()).get("error").asText()).isEqualTo("uri_too_long");
        contract.assertMatchesSchema("Error", response.body());
    }

    @Test
    void headersLargerThan8KiB_are431Json() {
        RawHttp.Response response = RawHttp.exchange(api.port(), "GET /health/live HTTP/1.1",
                "X-Filler: " + "a".repeat(HttpEndpoint.MAX_REQUEST_HEADER_BYTES + 1));

        assertThat(response.status()).isEqualTo(431);
        assertThat(ApiClient.json(response.body()).get("error").asText()).isEqualTo("headers_too_large");
        contract.assertMatchesSchema("Error", response.body());
    }

    @Test
    void unsupportedHttpVersion_is505Json() {
        RawHttp.Response response = RawHttp.exchange(api.port(), "GET /health/live HTTP/9.9");

        assertThat(response.status()).isEqualTo(505);
        assertThat(ApiClient.json(response.body()).get("error").asText()).isEqualTo("http_version_not_supported");
        contract.assertMatchesSchema("Error", response.body());
    }

    @Test
    void failureInsideTheApi_is500Json_andTheServerCarriesOn() {
        api.metrics.set(() -> {
            throw new IllegalStateException("registry broken");
        });

        HttpResponse<String> response = api.client().get("/metrics");

        assertError(response, 500, "internal_error");
        contract.assertMatchesSchema("Error", response.body());
        assertThat(api.client().get("/health/live").statusCode()).isEqualTo(200);
    }

    @Test
    void liveness_is200WhateverTheWorkerIsDoing() {
        HttpResponse<String> response = api.client().get("/health/live");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(ApiClient.json(response).get("status").asText()).isEqualTo("UP");
        contract.assertConforms("/health/live", response);
    }

    @Test
    void readiness_whileTheWorkerIsNotReady_is503WithTheReason() {
        api.readiness.set(new Health(false, "restoring shards from the changelog"));

        HttpResponse<String> response = api.client().get("/health/ready");

        assertError(response, 503, "not_ready");
        assertThat(ApiClient.json(response).get("message").asText()).isEqualTo("restoring shards from the changelog");
        contract.assertConforms("/health/ready", response);
    }

    @Test
    void readiness_onceTheWorkerIsReady_is200WithWhatItDoes() {
        api.readiness.set(new Health(true, "processing partitions [0, 1]"));

        HttpResponse<String> response = api.client().get("/health/ready");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = ApiClient.json(response);
        assertThat(body.get("ready").asBoolean()).isTrue();
        assertThat(body.get("reason").asText()).isEqualTo("processing partitions [0, 1]");
        contract.assertConforms("/health/ready", response);
    }

    @Test
    void metrics_areServedAsPrometheusText() {
        api.metrics.set(() -> "# HELP x y\nx 1.0\n");

        HttpResponse<String> response = api.client().get("/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
        assertThat(response.body()).isEqualTo("# HELP x y\nx 1.0\n");
        contract.assertConforms("/metrics", response);
    }

    private static void assertError(HttpResponse<String> response, int status, String error) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
        JsonNode body = ApiClient.json(response);
        assertThat(body.get("error").asText()).isEqualTo(error);
        assertThat(body.get("message").asText()).isNotBlank();
    }
}
