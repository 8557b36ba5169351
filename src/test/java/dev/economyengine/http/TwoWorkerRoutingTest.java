package dev.economyengine.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.economyengine.app.EconomyEngine;
import dev.economyengine.messaging.OwnedShards;
import dev.economyengine.testing.EconomyClient;
import dev.economyengine.testing.EconomyTestEnvironment;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two workers in one group over four partitions, with their own data directories and HTTP ports: each
 * sends a client asking about the other's users to the other, as the group's assignment says.
 */
class TwoWorkerRoutingTest {
    private static final int PARTITIONS = 4;

    @TempDir
    Path workDir;

    private EconomyTestEnvironment environment;
    private EconomyEngine workerA;
    private EconomyEngine workerB;
    private EconomyClient kafka;
    private final OwnedShards partitioner = new OwnedShards(PARTITIONS);
    private final OpenApiContract contract = OpenApiContract.load();

    @BeforeEach
    void start() {
        environment = new EconomyTestEnvironment(workDir, PARTITIONS).with("ECONOMY_HTTP_PORT", "0");
        workerA = environment.with("ECONOMY_DATA_DIR", workDir.resolve("a").toString()).startEngine();
        workerB = environment.with("ECONOMY_DATA_DIR", workDir.resolve("b").toString()).startEngine();
        kafka = new EconomyClient(environment);
        await().atMost(EconomyClient.TIMEOUT).until(this::partitionsSplitBetweenBothAndRoutable);
    }

    @AfterEach
    void stop() {
        kafka.close();
        workerB.close();
        workerA.close();
    }

    @Test
    void askingWorkerAAboutAUserOfWorkerB_redirectsToB_andFollowingItGivesTheBalance() {
        String user = userOwnedBy(workerB);
        kafka.earn("e1", user, "game_completion");
        JsonNode result = kafka.awaitResult(user, "e1");
        String path = "/v1/users/" + user + "/balance";

        HttpResponse<String> redirect = new ApiClient(workerA.httpUrl()).get(path);

        assertThat(redirect.statusCode()).isEqualTo(307);
        assertThat(redirect.headers().firstValue("Location")).contains(workerB.httpUrl() + path);
        JsonNode body = ApiClient.json(redirect);
        assertThat(body.get("error").asText()).isEqualTo("not_owner");
        assertThat(body.get("owner").asText()).isEqualTo(workerB.httpUrl());
        assertThat(body.get("partition").asInt()).isEqualTo(partitioner.partitionOf(user));
        contract.assertConforms(path, redirect);

        HttpResponse<String> followed = ApiClient.getAbsolute(redirect.headers().firstValue("Location").orElseThrow());

        assertThat(followed.statusCode()).isEqualTo(200);
        assertThat(ApiClient.json(followed).get("balance").asLong()).isEqualTo(result.get("balance").asLong());
        contract.assertConforms(path, followed);
    }

    @Test
    void aClientThatFollowsRedirects_getsEveryUsersDataFromEitherWorker() throws Exception {
        String userOfA = userOwnedBy(workerA);
        String userOfB = userOwnedBy(workerB);
        kafka.earn("e1", userOfA, "daily_login");
        kafka.spend("s1", userOfB, 5);
        kafka.awaitResult(userOfA, "e1");
        JsonNode rejected = kafka.awaitResult(userOfB, "s1");
        HttpClient following = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();

        for (EconomyEngine asked : new EconomyEngine[] {workerA, workerB}) {
            HttpResponse<String> balance = following.send(HttpRequest.newBuilder(
                    URI.create(asked.httpUrl() + "/v1/users/" + userOfA + "/balance")).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> result = following.send(HttpRequest.newBuilder(
                    URI.create(asked.httpUrl() + "/v1/users/" + userOfB + "/requests/s1")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(ApiClient.json(balance).get("balance").asLong()).isEqualTo(10);
            assertThat(ApiClient.json(result)).isEqualTo(rejected);
        }
    }

    @Test
    void eachWorker_answersForItsOwnUsersDirectly() {
        for (EconomyEngine worker : new EconomyEngine[] {workerA, workerB}) {
            String user = userOwnedBy(worker);

            HttpResponse<String> response = new ApiClient(worker.httpUrl()).get("/v1/users/" + user + "/transactions");

            assertThat(response.statusCode()).isEqualTo(200);
        }
    }

    /** Both workers hold two partitions, and each sends a client to the other for the other's users. */
    private boolean partitionsSplitBetweenBothAndRoutable() {
        Set<Integer> all = new HashSet<>(workerA.ownedPartitions());
        all.addAll(workerB.ownedPartitions());
        if (all.size() != PARTITIONS || workerA.ownedPartitions().size() != 2 || !workerA.readiness().ready()
                || !workerB.readiness().ready()) {
            return false;
        }
        return new ApiClient(workerA.httpUrl()).get("/v1/users/" + userOwnedBy(workerB) + "/balance").statusCode() == 307
                && new ApiClient(workerB.httpUrl()).get("/v1/users/" + userOwnedBy(workerA) + "/balance").statusCode() == 307;
    }

    private String userOwnedBy(EconomyEngine worker) {
        for (int i = 0; ; i++) {
            String user = "player-" + i;
            if (worker.ownedPartitions().contains(partitioner.partitionOf(user))) {
                return user;
            }
        }
    }
}
