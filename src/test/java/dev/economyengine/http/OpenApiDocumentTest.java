package dev.economyengine.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The OpenAPI document itself: it describes every route, and the contract check really checks. */
class OpenApiDocumentTest {
    private final OpenApiContract contract = OpenApiContract.load();
    private final StandaloneApi api = new StandaloneApi();

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void document_describesEveryRouteTheServerAnswers() {
        assertThat(contract.documentedPaths()).containsExactlyInAnyOrder(
                "/v1/users/{userId}/balance",
                "/v1/users/{userId}/transactions",
                "/v1/users/{userId}/limits",
                "/v1/users/{userId}/requests/{requestId}",
                "/v1/users/{userId}/earn",
                "/v1/users/{userId}/spend",
                "/v1/economy",
                "/health/live",
                "/health/ready",
                "/metrics");
    }

    @Test
    void contractCheck_refusesABodyThatDoesNotMatchItsSchema() {
        HttpResponse<String> live = api.client().get("/health/live");

        assertThatThrownBy(() -> contract.assertConforms("/v1/users/alice/balance", live))
                .isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> contract.assertMatchesSchema("Error", "{\"error\":\"x\"}"))
                .isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> contract.assertMatchesSchema("Error", "{\"error\":\"x\",\"message\":\"m\",\"extra\":1}"))
                .isInstanceOf(AssertionError.class);
    }

    @Test
    void contractCheck_refusesAStatusTheOperationDoesNotDocument() {
        HttpResponse<String> notReady = api.client().get("/health/ready");
        assertThat(notReady.statusCode()).isEqualTo(503);

        assertThatThrownBy(() -> contract.assertConforms("/health/live", notReady))
                .isInstanceOf(AssertionError.class);
    }
}
