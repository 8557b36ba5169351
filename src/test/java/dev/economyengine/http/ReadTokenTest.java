package dev.economyengine.http;

import static dev.economyengine.http.HttpWritesTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * With a read token set, the query API needs it (or the write token), while health checks and metrics stay
 * open for orchestrators and Prometheus. No shard is live here, so an accepted query gets a 503 from the
 * shard lookup rather than a 401 or 403 from the guard.
 */
class ReadTokenTest {
    private static final String READ = "read-token-0123456789abcdef";
    private static final String WRITE = HttpWritesTest.TOKEN;
    private static final String[] QUERIES = {"/v1/users/alice/balance", "/v1/users/alice/transactions",
        "/v1/users/alice/limits", "/v1/users/alice/requests/r-1", "/v1/economy"};

    private final StandaloneApi api = new StandaloneApi(AccessTokens.of(Optional.of(WRITE), Optional.of(READ)),
            Optional.empty());
    private final OpenApiContract contract = OpenApiContract.load();

    @AfterEach
    void stop() {
        api.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1/users/alice/balance", "/v1/users/alice/transactions", "/v1/users/alice/limits",
        "/v1/users/alice/requests/r-1", "/v1/economy"})
    void query_withoutAToken_is401(String path) {
        HttpResponse<String> response = api.client().get(path);

        assertError(response, 401, "unauthorized");
        assertThat(response.headers().firstValue("WWW-Authenticate")).isPresent();
        contract.assertConforms(path, response);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1/users/alice/balance", "/v1/economy"})
    void query_withAWrongToken_is403(String path) {
        HttpResponse<String> response = api.client().get(path, "Authorization", "Bearer not-the-read-token-000");

        assertError(response, 403, "forbidden");
        contract.assertConforms(path, response);
    }

    @Test
    void query_withTheReadOrTheWriteToken_isAnswered() {
        for (String token : new String[] {READ, WRITE}) {
            for (String path : QUERIES) {
                HttpResponse<String> response = api.client().get(path, "Authorization", "Bearer " + token);
                assertThat(response.statusCode()).as(path).isNotIn(401, 403);
            }
        }
        assertThat(api.client().get("/v1/economy", "Authorization", "Bearer " + READ).statusCode()).isEqualTo(200);
    }

    @Test
    void write_withTheReadToken_is403() {
        HttpResponse<String> response = api.client().send("POST", "/v1/users/alice/earn", "{\"requestId\":\"r\"}",
                "Authorization", "Bearer " + READ);

        assertError(response, 403, "forbidden");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/health/live", "/health/ready", "/metrics"})
    void healthAndMetrics_stayOpen(String path) {
        assertThat(api.client().get(path).statusCode()).isNotIn(401, 403);
    }

    @Test
    void withoutAReadToken_queriesAreOpen() {
        try (StandaloneApi open = new StandaloneApi(AccessTokens.of(Optional.of(WRITE), Optional.empty()),
                Optional.empty())) {
            assertThat(open.client().get("/v1/economy").statusCode()).isEqualTo(200);
        }
    }
}
