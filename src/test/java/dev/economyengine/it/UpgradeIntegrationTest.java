package dev.economyengine.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.economyengine.app.EconomyEngine;
import dev.economyengine.http.ApiClient;
import dev.economyengine.store.ShardVerifier;
import dev.economyengine.store.VerificationReport;
import dev.economyengine.testing.Directories;
import dev.economyengine.testing.EconomyClient;
import dev.economyengine.testing.EconomyTestEnvironment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An installation of the version before currencies, upgraded, on a real broker: its shard file (schema
 * 2) is upgraded when the new worker opens it, and its changelog (records of format 1, as that worker
 * wrote them) restores into the new schema; both give the same ledger, with the same state hash.
 */
class UpgradeIntegrationTest {
    private static final Path FIXTURE = Path.of("src", "test", "resources", "upgrade", "schema-2");
    /** alice, frank and heidi live in partition 1 of 2, the fixture's shard. */
    private static final int PARTITIONS = 2;

    @TempDir
    Path workDir;

    private EconomyEngine engine;

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void shardOfTheEarlierSchema_isUpgradedOnOpen_andItsChangelogOfTheFirstFormatRestoresToTheSameLedger()
            throws Exception {
        EconomyTestEnvironment environment = new EconomyTestEnvironment(workDir, PARTITIONS);
        environment.createTopics(PARTITIONS);
        List<String> records = Files.readAllLines(FIXTURE.resolve("changelog-1.jsonl"), StandardCharsets.UTF_8);
        Path shard = Files.createDirectories(environment.dataDir().resolve("ledger")).resolve("shard-1.db");
        Files.copy(FIXTURE.resolve("shard-1.db"), shard);
        try (EconomyClient client = new EconomyClient(environment)) {
            for (String record : records) {
                client.send(new ProducerRecord<>(environment.topics().changelog(), 1, null,
                        record.getBytes(StandardCharsets.UTF_8)));
            }
            // The file is up to date with its changelog, as the old worker left it.
            execute(shard, "INSERT INTO shard_meta (key, value) VALUES ('changelog_offset', '" + records.size() + "')");

            engine = environment.startEngine();
            ApiClient api = new ApiClient(engine.httpUrl());
            await().atMost(EconomyClient.TIMEOUT).until(() -> engine.readiness().ready());

            assertThat(balance(api, "heidi").get("balances").get("coins").asLong()).isEqualTo(999_999_990L);
            JsonNode frank = balance(api, "frank");
            assertThat(frank.get("balance").asLong()).isEqualTo(10);
            assertThat(frank.get("version").asLong()).isEqualTo(3);
            JsonNode stored = ApiClient.json(api.get("/v1/users/frank/requests/order-2"));
            assertThat(stored.get("code").asText()).isEqualTo("INSUFFICIENT_BALANCE");
            assertThat(stored.get("currency").asText()).isEqualTo("coins");
            client.earn("login-3", "frank", "daily_login");
            JsonNode earned = client.awaitResult("frank", "login-3");
            assertThat(earned.get("balance").asLong()).isEqualTo(20);
            assertThat(client.awaitBalanceChanges(1).get(0).get("version").asLong()).isEqualTo(4);
        }
        engine.close();
        engine = null;
        assertThat(query(shard, "SELECT value FROM shard_meta WHERE key = 'schema_version'")).isEqualTo("3");
        VerificationReport upgraded = ShardVerifier.verify(shard);

        Directories.deleteRecursively(environment.dataDir().resolve("ledger"));
        engine = environment.startEngine();
        await().atMost(EconomyClient.TIMEOUT).until(() -> engine.readiness().ready());
        engine.close();
        engine = null;
        VerificationReport rebuilt = ShardVerifier.verify(shard);

        assertThat(upgraded.violations()).isEmpty();
        assertThat(rebuilt.violations()).isEmpty();
        assertThat(rebuilt.transactions()).isEqualTo(9);
        assertThat(rebuilt.stateHash()).as("rebuilt from records of both formats").isEqualTo(upgraded.stateHash());
    }

    private static JsonNode balance(ApiClient api, String user) {
        return ApiClient.json(api.get("/v1/users/" + user + "/balance"));
    }

    private static void execute(Path file, String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static String query(Path file, String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(sql)) {
            return row.next() ? row.getString(1) : null;
        }
    }
}
