package dev.economyengine.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.economyengine.app.EconomyEngine;
import dev.economyengine.ledger.Outcome;
import dev.economyengine.ledger.Request;
import dev.economyengine.store.ShardStore;
import dev.economyengine.store.StoreOptions;
import dev.economyengine.testing.EconomyClient;
import dev.economyengine.testing.EconomyTestEnvironment;
import dev.economyengine.testing.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A shard goes live only once its file reflects every batch the group's committed offsets include,
 * whatever a previous owner left in flight; it restores without leaving the group; and while it is not
 * live, the query API says so instead of answering from a shard that is behind. On the real broker,
 * with a real engine and its HTTP API.
 */
class ShardLifecycleTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path workDir;

    private EconomyTestEnvironment environment;
    private EconomyClient client;
    private EconomyEngine engine;

    @BeforeEach
    void createWorld() {
        environment = new EconomyTestEnvironment(workDir, 1);
        environment.createTopics(1);
        client = new EconomyClient(environment);
    }

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
        client.close();
    }

    /**
     * A previous owner, paused past its session timeout, has sent its batch's offsets to its transaction
     * but not yet its changelog records. The new owner must wait for that transaction before it reads the
     * changelog's end: otherwise it restores nothing, resumes after the batch, and decides the next
     * request on a balance that misses it.
     */
    @Test
    void aPreviousOwnersBatchWhoseOffsetsAreInFlight_isRestoredBeforeTheShardGoesLive() throws Exception {
        Topics topics = environment.topics();
        client.earn("r1", "alice", "daily_login");
        try (KafkaProducer<byte[], byte[]> zombie = transactionalProducer("zombie")) {
            zombie.initTransactions();
            zombie.beginTransaction();
            // The zombie, a member of the group then, consumed r1 (offset 0) and commits past it in its
            // transaction; then the group moves on without it.
            try (KafkaConsumer<byte[], byte[]> member = new KafkaConsumer<>(
                    ClientProperties.consumer(environment.bootstrapServers(), environment.groupId(), Map.of()))) {
                member.subscribe(topics.requestTopics());
                await().atMost(EconomyClient.TIMEOUT).until(() -> {
                    member.poll(Duration.ofMillis(100));
                    return member.assignment().size() == 2;
                });
                zombie.sendOffsetsToTransaction(Map.of(new TopicPartition(topics.earnRequests(), 0),
                        new OffsetAndMetadata(1), new TopicPartition(topics.spendRequests(), 0), new OffsetAndMetadata(0)),
                        member.groupMetadata());
            }

            engine = environment.startEngine();
            await().atMost(EconomyClient.TIMEOUT)
                    .until(() -> engine.readiness().reason().contains("0 AWAITING_COMMITTED_OFFSETS"));

            // Only now do the zombie's changelog record and result leave its producer; then it commits.
            Outcome earned = decide(new Request.Earn("r1", "alice", 10, "daily_login", null));
            zombie.send(new ProducerRecord<>(topics.changelog(), 0, utf8("alice"), new ChangelogCodec("coins").encode(earned)));
            zombie.commitTransaction();
        }
        await().atMost(EconomyClient.TIMEOUT).until(() -> engine.readiness().ready());

        client.spend("r2", "alice", 10);
        JsonNode spent = client.awaitResult("alice", "r2");

        assertThat(spent.get("status").asText()).as("decided on the balance that includes the zombie's earn")
                .isEqualTo("ACCEPTED");
        assertThat(spent.get("balance").asLong()).isZero();
        assertThat(client.results()).extracting(r -> r.get("requestId").asText())
                .as("r1 was the zombie's: never applied again").containsExactly("r2");
    }

    /**
     * The restore waits for a transaction left open on the changelog for longer than the group lets a
     * member go without polling. The worker keeps polling, so it stays the same member throughout.
     */
    @Test
    void aRestoreLongerThanMaxPollInterval_completesWithoutTheWorkerLeavingTheGroup() throws Exception {
        environment.with("ECONOMY_KAFKA_CONSUMER_MAX_POLL_INTERVAL_MS", "3000");
        try (KafkaProducer<byte[], byte[]> holder = transactionalProducer("holder");
                Admin admin = Admin.create(Map.of("bootstrap.servers", environment.bootstrapServers()))) {
            holder.initTransactions();
            holder.beginTransaction();
            holder.send(new ProducerRecord<>(environment.topics().changelog(), 0, new byte[0], new byte[0])).get();
            engine = environment.startEngine();
            await().atMost(EconomyClient.TIMEOUT)
                    .until(() -> engine.readiness().reason().contains("0 AWAITING_STABLE_CHANGELOG"));
            String member = onlyMember(admin);

            await().during(Duration.ofSeconds(7)).atMost(Duration.ofSeconds(20)).until(() ->
                    engine.readiness().reason().contains("0 AWAITING_STABLE_CHANGELOG") && member.equals(onlyMember(admin)));
            holder.abortTransaction();

            await().atMost(EconomyClient.TIMEOUT).until(() -> engine.readiness().ready());
            assertThat(onlyMember(admin)).as("the same member, never evicted").isEqualTo(member);
        }
        client.earn("r1", "alice", "daily_login");
        assertThat(client.awaitResult("alice", "r1").get("status").asText()).isEqualTo("ACCEPTED");
    }

    /**
     * A shard whose restore failed is behind what the worker has published: its queries answer 503 with
     * the shard's state until it is live again, rather than a stale balance or a 404 for a published
     * result.
     */
    @Test
    void aShardWhoseRestoreFails_answers503NamingItsState_untilItIsLiveAgain() throws Exception {
        engine = environment.startEngine();
        client.earn("r1", "alice", "daily_login");
        client.awaitResult("alice", "r1");
        engine.close();
        Path shard = environment.dataDir().resolve("ledger").resolve("shard-0.db");
        Path behind = workDir.resolve("shard-0-behind.db");
        sql(shard, "VACUUM INTO '" + behind + "'");
        engine = environment.startEngine();
        client.earn("r2", "alice", "game_completion");
        client.awaitResult("alice", "r2");
        engine.close();
        // The shard goes back to before r2, and its disk refuses writes: the restore of r2 fails.
        Files.copy(behind, shard, StandardCopyOption.REPLACE_EXISTING);
        Files.deleteIfExists(Path.of(shard + "-wal"));
        sql(shard, "CREATE TABLE fault (armed INTEGER)", "INSERT INTO fault VALUES (1)",
                "CREATE TRIGGER broken_disk BEFORE INSERT ON transactions WHEN EXISTS (SELECT 1 FROM fault)"
                        + " BEGIN SELECT RAISE(ABORT, 'disk trouble'); END");
        engine = environment.startEngine();
        await().atMost(EconomyClient.TIMEOUT).until(() -> engine.readiness().reason().contains("0 FAILED"));

        HttpResponse<String> whileFailed = get("/v1/users/alice/requests/r2");

        assertThat(whileFailed.statusCode()).isEqualTo(503);
        assertThat(whileFailed.headers().firstValue("Retry-After")).contains("1");
        JsonNode body = Json.parse(utf8(whileFailed.body()));
        assertThat(body.get("error").asText()).isEqualTo("shard_not_live");
        assertThat(body.get("state").asText()).isIn(Set.of("FAILED", "AWAITING_COMMITTED_OFFSETS",
                "AWAITING_STABLE_CHANGELOG", "RESTORING"));
        assertThat(engine.readiness().ready()).isFalse();

        sql(shard, "DELETE FROM fault");
        await().atMost(EconomyClient.TIMEOUT).until(() -> engine.readiness().ready());
        assertThat(get("/v1/users/alice/requests/r2").statusCode()).isEqualTo(200);
        assertThat(Json.parse(utf8(get("/v1/users/alice/balance").body())).get("balance").asLong())
                .isEqualTo(client.awaitResult("alice", "r2").get("balance").asLong());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(engine.httpUrl() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private KafkaProducer<byte[], byte[]> transactionalProducer(String name) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, environment.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, environment.groupId() + "-" + name,
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 60_000,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
    }

    /** What the previous owner's shard decided: the outcome its changelog record carries. */
    private static Outcome decide(Request request) {
        try (ShardStore shard = ShardStore.inMemory(0, StoreOptions.defaults())) {
            return shard.apply(List.of(request)).get(0);
        }
    }

    private String onlyMember(Admin admin) throws ExecutionException, InterruptedException {
        ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(environment.groupId()))
                .describedGroups().get(environment.groupId()).get();
        assertThat(group.members()).hasSize(1);
        return group.members().stream().map(MemberDescription::consumerId).findFirst().orElseThrow();
    }

    private static void sql(Path file, String... statements) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
