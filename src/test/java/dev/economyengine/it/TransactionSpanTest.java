package dev.economyengine.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.economyengine.app.EconomyEngine;
import dev.economyengine.messaging.OwnedShards;
import dev.economyengine.testing.EconomyClient;
import dev.economyengine.testing.EconomyTestEnvironment;
import dev.economyengine.testing.LedgerAudit;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One Kafka transaction spans several polls, as the commit policy says: it commits once it holds
 * {@code commit.max-records} requests or its oldest has waited {@code commit.max-delay.ms}, and before
 * its partitions are taken away or the worker stops, whatever the policy.
 */
class TransactionSpanTest {
    private static final Pattern COMMITS = Pattern.compile("(?m)^economy_batch_size_records_count\\S* (\\S+)$");
    private static final Pattern COMMITTED = Pattern.compile("(?m)^economy_batch_size_records_sum\\S* (\\S+)$");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path workDir;

    private EconomyTestEnvironment environment;
    private EconomyClient client;
    private EconomyEngine engine;
    private EconomyEngine second;

    @BeforeEach
    void createWorld() {
        environment = new EconomyTestEnvironment(workDir, 2);
        environment.createTopics(2);
        client = new EconomyClient(environment);
    }

    @AfterEach
    void stop() {
        for (EconomyEngine running : new EconomyEngine[] {second, engine}) {
            if (running != null) {
                running.close();
            }
        }
        client.close();
    }

    @Test
    void requestsPolledApart_areCommittedInOneTransaction_onceItHoldsMaxRecords() throws Exception {
        engine = start("3", "5000");

        client.earn("r1", "alice", "daily_login");
        client.earn("r2", "alice", "game_completion");
        client.spend("r3", "alice", 5);
        client.awaitResults(3);

        assertThat(metric(COMMITS)).as("Kafka commits").isEqualTo(1);
        assertThat(metric(COMMITTED)).as("requests committed").isEqualTo(3);
    }

    @Test
    void aLoneRequest_isCommittedOnceItHasWaitedMaxDelay() throws Exception {
        engine = start("1000", "200");

        client.earn("r1", "alice", "daily_login");

        assertThat(client.awaitResult("alice", "r1").get("status").asText()).isEqualTo("ACCEPTED");
        assertThat(metric(COMMITS)).isEqualTo(1);
    }

    /**
     * Requests of users in both partitions wait in the first worker's open transaction when a second
     * worker joins and takes one partition. Committed before the revocation, each is answered once;
     * committed after it (on its own schedule), the moved user's request would be answered by both.
     */
    @Test
    void anOpenTransaction_commitsBeforeItsPartitionsAreRevoked() throws Exception {
        engine = start("1000", "5000");
        OwnedShards partitioner = new OwnedShards(2);
        String alice = userIn(partitioner, 0);
        String bob = userIn(partitioner, 1);
        client.earn("r1", alice, "daily_login");
        client.earn("r1", bob, "daily_login");
        await().atMost(EconomyClient.TIMEOUT).until(() -> scrape(engine).contains("economy_transaction_open_records 2.0"));

        environment.with("ECONOMY_DATA_DIR", workDir.resolve("second").toString());
        second = start("1000", "5000");
        await().atMost(EconomyClient.TIMEOUT).until(() -> second.ownedPartitions().size() == 1
                && scrape(engine).contains("economy_transaction_open_records 0.0"));
        client.awaitResults(2);
        client.earn("r2", alice, "game_completion");
        client.earn("r2", bob, "game_completion");
        client.awaitResults(4);

        LedgerAudit.check(Map.of(alice + "/r1", 1, bob + "/r1", 1, alice + "/r2", 1, bob + "/r2", 1),
                client.results(), client.balanceChanges());
        assertThat(metric(COMMITS)).as("the first worker's transaction committed, not aborted").isPositive();
    }

    private static String userIn(OwnedShards partitioner, int partition) {
        for (int i = 0; ; i++) {
            if (partitioner.partitionOf("player-" + i) == partition) {
                return "player-" + i;
            }
        }
    }

    @Test
    void anOpenTransaction_commitsWhenTheWorkerStops() {
        engine = start("1000", "5000");
        client.earn("r1", "alice", "daily_login");
        await().atMost(EconomyClient.TIMEOUT).until(() -> scrape(engine).contains("economy_transaction_open_records 1.0"));

        engine.close();
        engine = null;

        assertThat(client.awaitResult("alice", "r1").get("status").asText()).isEqualTo("ACCEPTED");
        assertThat(client.results()).hasSize(1);
    }

    private EconomyEngine start(String maxRecords, String maxDelayMs) {
        EconomyEngine started = environment.with("ECONOMY_COMMIT_MAX_RECORDS", maxRecords)
                .with("ECONOMY_COMMIT_MAX_DELAY_MS", maxDelayMs)
                .startEngine();
        await().atMost(EconomyClient.TIMEOUT).until(() -> started.readiness().ready());
        return started;
    }

    private double metric(Pattern pattern) throws Exception {
        Matcher matcher = pattern.matcher(scrape(engine));
        assertThat(matcher.find()).as(pattern.pattern()).isTrue();
        return Double.parseDouble(matcher.group(1));
    }

    private static String scrape(EconomyEngine running) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(running.httpUrl() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
