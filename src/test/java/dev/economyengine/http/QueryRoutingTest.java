package dev.economyengine.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.economyengine.messaging.ShardState;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Where a worker sends a client asking about a user it does not hold, with the owners taken from a
 * simulated group rebalance: partitions 0 and 1 to this worker ("a"), 2 and 3 to another ("b").
 * Nothing is live here, so every user is either elsewhere, held here but not live, or of an unknown owner.
 */
class QueryRoutingTest {
    private static final String OTHER = "http://127.0.0.1:1";

    private final StandaloneApi api = new StandaloneApi();
    private final OpenApiContract contract = OpenApiContract.load();
    private final SimulatedGroup group = new SimulatedGroup(StandaloneApi.PARTITIONS)
            .member("a", api.url(), api.owners)
            .member("b", OTHER, new dev.economyengine.messaging.EndpointAwareAssignor.PartitionOwners());

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void userOwnedByAnotherWorker_isRedirectedThereWithTheSamePathAndQuery() {
        group.rebalance();
        String user = api.userIn(3);
        String path = "/v1/users/" + user + "/transactions";

        HttpResponse<String> response = api.client().get(path + "?limit=5&cursor=abc");

        assertThat(response.statusCode()).isEqualTo(307);
        assertThat(response.headers().firstValue("Location")).contains(OTHER + path + "?limit=5&cursor=abc");
        JsonNode body = ApiClient.json(response);
        assertThat(body.get("error").asText()).isEqualTo("not_owner");
        assertThat(body.get("owner").asText()).isEqualTo(OTHER);
        assertThat(body.get("partition").asInt()).isEqualTo(3);
        assertThat(body.get("message").asText()).contains(user);
        contract.assertConforms(path, response);
    }

    @Test
    void redirect_keepsThePercentEncodingOfTheIdsAsSent() {
        group.rebalance();
        String user = "a/b é";
        String encoded = "a%2Fb%20%C3%A9";
        int partition = api.owned.partitionOf(user);
        String path = "/v1/users/" + encoded + "/requests/r%2F1";

        HttpResponse<String> response = api.client().get(path);

        if (partition >= 2) {
            assertThat(response.statusCode()).isEqualTo(307);
            assertThat(response.headers().firstValue("Location")).contains(OTHER + path);
        } else {
            assertThat(response.statusCode()).isEqualTo(503);
        }
        assertThat(ApiClient.json(response).get("message").asText()).contains(Integer.toString(partition));
    }

    @Test
    void everyUserEndpoint_redirectsForAUserOwnedElsewhere() {
        group.rebalance();
        String user = api.userIn(2);

        for (String path : new String[] {"/v1/users/" + user + "/balance", "/v1/users/" + user + "/transactions",
                "/v1/users/" + user + "/requests/r1"}) {
            HttpResponse<String> response = api.client().get(path);
            assertThat(response.statusCode()).as(path).isEqualTo(307);
            assertThat(response.headers().firstValue("Location")).as(path).contains(OTHER + path);
            contract.assertConforms(path, response);
        }
    }

    @Test
    void userOfAPartitionAssignedHereButNotOpenYet_is503NotLiveWithRetryAfter() {
        group.rebalance();
        String path = "/v1/users/" + api.userIn(1) + "/balance";

        HttpResponse<String> response = api.client().get(path);

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).contains("1");
        JsonNode body = ApiClient.json(response);
        assertThat(body.get("error").asText()).isEqualTo("shard_not_live");
        assertThat(body.get("state").asText()).isEqualTo("ASSIGNED");
        contract.assertConforms(path, response);
    }

    @ParameterizedTest
    @EnumSource(value = ShardState.class, names = {"LIVE", "CLOSED"}, mode = EnumSource.Mode.EXCLUDE)
    void userOfAShardHeldHereButNotLive_is503WithTheStateNamed_evenWhereTheGroupSaysAnotherOwns(ShardState state) {
        group.rebalance();
        api.notLive.put(3, state.name());
        String path = "/v1/users/" + api.userIn(3) + "/requests/r1";

        HttpResponse<String> response = api.client().get(path);

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).contains("1");
        JsonNode body = ApiClient.json(response);
        assertThat(body.get("error").asText()).isEqualTo("shard_not_live");
        assertThat(body.get("state").asText()).isEqualTo(state.name());
        assertThat(body.get("message").asText()).contains("partition 3", state.name());
        contract.assertConforms(path, response);
    }

    @Test
    void beforeAnyAssignment_theOwnerIsUnknown_is503WithRetryAfter() {
        String path = "/v1/users/" + api.userIn(2) + "/balance";

        HttpResponse<String> response = api.client().get(path);

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).contains("1");
        JsonNode body = ApiClient.json(response);
        assertThat(body.get("error").asText()).isEqualTo("owner_unknown");
        assertThat(body.get("message").asText()).contains("rebalancing");
        contract.assertConforms(path, response);
    }

    @Test
    void duringARebalance_nobodyIsRedirected_untilTheNewAssignmentArrives() {
        group.rebalance();
        String path = "/v1/users/" + api.userIn(3) + "/balance";
        assertThat(api.client().get(path).statusCode()).isEqualTo(307);

        group.beginRebalance();

        assertThat(api.client().get(path).statusCode()).isEqualTo(503);
        group.rebalance();
        assertThat(api.client().get(path).statusCode()).isEqualTo(307);
    }
}
