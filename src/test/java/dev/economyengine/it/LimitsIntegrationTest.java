package dev.economyengine.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.economyengine.app.EconomyEngine;
import dev.economyengine.config.RulesLoader;
import dev.economyengine.messaging.ChangelogRestorer;
import dev.economyengine.testing.Directories;
import dev.economyengine.testing.EconomyClient;
import dev.economyengine.testing.EconomyTestEnvironment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Earn limits end to end, on a real broker: judged at each request record's timestamp, answered with
 * LIMIT_REACHED and the time the earn would pass, and kept in the shard so that a restarted worker, and
 * a shard rebuilt from the changelog, decide as the first did.
 */
class LimitsIntegrationTest {
    static final String ECONOMY = """
            {
              "defaultCurrency": "coins",
              "currencies": {
                "coins": { "cap": 1000000000 },
                "gems":  { "cap": 1000000, "earnLimits": [ { "amount": 500, "period": "P1D", "calendar": true } ] }
              },
              "earningRules": {
                "daily_login":    { "currency": "coins", "baseAmount": 10,  "multiplier": 1.0,
                                    "limits": [ { "count": 1, "period": "P1D", "calendar": true } ] },
                "quest":          { "currency": "coins", "baseAmount": 50,  "multiplier": 1.0,
                                    "limits": [ { "count": 2, "period": "PT1H" } ] },
                "first_purchase": { "currency": "gems",  "baseAmount": 100, "multiplier": 1.5,
                                    "limits": [ { "count": 1 } ] },
                "chest":          { "currency": "gems",  "baseAmount": 200, "multiplier": 1 }
              }
            }
            """;

    @TempDir
    Path workDir;

    private EconomyTestEnvironment environment;
    private EconomyEngine engine;
    private EconomyClient client;

    @BeforeEach
    void start() throws IOException {
        environment = new EconomyTestEnvironment(workDir, 2).with("ECONOMY_RULES_FILE",
                Files.writeString(workDir.resolve("economy.json"), ECONOMY).toString());
        engine = environment.startEngine();
        client = new EconomyClient(environment);
    }

    @AfterEach
    void stop() {
        client.close();
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void earnOverALimit_atItsRecordsTimestamp_isRejectedWithLimitReached_untilTheTimeTheResultNames() {
        earn("l1", "alice", "daily_login", "2026-03-14T09:00:00Z");
        earn("l2", "alice", "daily_login", "2026-03-14T23:59:59.999Z");
        earn("l3", "alice", "daily_login", "2026-03-15T00:00:00Z");

        assertThat(client.awaitResult("alice", "l1").get("code").asText()).isEqualTo("OK");
        JsonNode refused = client.awaitResult("alice", "l2");
        assertThat(refused.get("status").asText()).isEqualTo("REJECTED");
        assertThat(refused.get("code").asText()).isEqualTo("LIMIT_REACHED");
        assertThat(refused.get("message").asText()).isEqualTo("daily_login: 1 per calendar day");
        assertThat(refused.get("nextAllowedAt").asText()).isEqualTo("2026-03-15T00:00:00.000Z");
        assertThat(refused.get("currency").asText()).isEqualTo("coins");
        assertThat(refused.get("amount").asLong()).isEqualTo(10);
        assertThat(refused.get("balance").asLong()).isEqualTo(10);
        assertThat(client.awaitResult("alice", "l3").get("balance").asLong()).isEqualTo(20);
    }

    @Test
    void lifetimeLimit_namesNoNextTime_andACurrencysAmountLimitCountsEveryRuleOfIt_andDuplicatesReplayBoth() {
        earn("p1", "bob", "first_purchase", "2026-03-14T09:00:00Z");
        earn("p2", "bob", "first_purchase", "2026-09-14T09:00:00Z");
        earn("c1", "bob", "chest", "2026-03-14T10:00:00Z");
        earn("c2", "bob", "chest", "2026-03-14T11:00:00Z");
        earn("c2", "bob", "chest", "2026-03-15T11:00:00Z");

        JsonNode forEver = client.awaitResult("bob", "p2");
        assertThat(forEver.get("message").asText()).isEqualTo("first_purchase: 1 ever");
        assertThat(forEver.get("nextAllowedAt").isNull()).isTrue();
        JsonNode overAmount = client.awaitResult(r -> r.get("requestId").asText().equals("c2")
                && !r.get("duplicate").asBoolean());
        assertThat(overAmount.get("message").asText()).isEqualTo("gems: 500 earned per calendar day");
        assertThat(overAmount.get("nextAllowedAt").asText()).isEqualTo("2026-03-15T00:00:00.000Z");
        assertThat(overAmount.get("balance").asLong()).as("150 + 200 gems").isEqualTo(350);
        JsonNode replayed = client.awaitResult(r -> r.get("requestId").asText().equals("c2")
                && r.get("duplicate").asBoolean());
        assertThat(replayed.get("code")).isEqualTo(overAmount.get("code"));
        assertThat(replayed.get("nextAllowedAt")).isEqualTo(overAmount.get("nextAllowedAt"));
    }

    @Test
    void limits_surviveARestart_andARestoreFromTheChangelog_decidingAsBefore() throws Exception {
        earn("l1", "carol", "daily_login", "2026-03-14T09:00:00Z");
        earn("q1", "carol", "quest", "2026-03-14T09:00:00Z");
        earn("q2", "carol", "quest", "2026-03-14T09:30:00Z");
        earn("p1", "carol", "first_purchase", "2026-03-14T09:45:00Z");
        client.awaitResults(4);

        restartEngine(false);
        earn("l2", "carol", "daily_login", "2026-03-14T18:00:00Z");
        earn("q3", "carol", "quest", "2026-03-14T09:59:00Z");
        JsonNode afterRestart = client.awaitResult("carol", "l2");
        JsonNode questAfterRestart = client.awaitResult("carol", "q3");

        restartEngine(true);
        earn("l3", "carol", "daily_login", "2026-03-14T18:00:00Z");
        earn("q4", "carol", "quest", "2026-03-14T09:59:00Z");
        earn("p2", "carol", "first_purchase", "2026-03-14T18:00:00Z");
        earn("q5", "carol", "quest", "2026-03-14T10:00:00Z");
        JsonNode afterRestore = client.awaitResult("carol", "l3");
        JsonNode questAfterRestore = client.awaitResult("carol", "q4");

        for (JsonNode refused : List.of(afterRestart, afterRestore)) {
            assertThat(refused.get("code").asText()).isEqualTo("LIMIT_REACHED");
            assertThat(refused.get("nextAllowedAt").asText()).isEqualTo("2026-03-15T00:00:00.000Z");
        }
        for (JsonNode refused : List.of(questAfterRestart, questAfterRestore)) {
            assertThat(refused.get("message").asText()).isEqualTo("quest: 2 per rolling hour");
            assertThat(refused.get("nextAllowedAt").asText()).isEqualTo("2026-03-14T10:00:00.000Z");
        }
        assertThat(client.awaitResult("carol", "p2").get("code").asText()).isEqualTo("LIMIT_REACHED");
        assertThat(client.awaitResult("carol", "q5").get("code").asText()).as("at the time named").isEqualTo("OK");
    }

    @Test
    void restoringEarnsDecidedUnderAnotherEconomyFile_logsAWarningNamingBothRulesVersions() throws Exception {
        earn("l1", "dave", "daily_login", "2026-03-14T09:00:00Z");
        client.awaitResults(1);
        Path file = workDir.resolve("economy.json");
        String before = RulesLoader.load(Optional.of(file)).rulesVersion();
        Logger restorer = (Logger) LoggerFactory.getLogger(ChangelogRestorer.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        restorer.addAppender(logged);
        try {
            engine.close();
            engine = null;
            Directories.deleteRecursively(environment.dataDir().resolve("ledger"));
            Files.writeString(file, ECONOMY.replace("\"count\": 2", "\"count\": 3"));
            engine = environment.startEngine();
            String after = RulesLoader.load(Optional.of(file)).rulesVersion();

            await().atMost(EconomyClient.TIMEOUT).untilAsserted(() -> assertThat(logged.list)
                    .extracting(ILoggingEvent::getFormattedMessage)
                    .anySatisfy(message -> assertThat(message).contains("decided under rules version " + before)
                            .contains("this worker runs rules version " + after)));
            assertThat(after).isNotEqualTo(before);
        } finally {
            restorer.detachAppender(logged);
        }
    }

    private void restartEngine(boolean losingTheShards) throws IOException {
        engine.close();
        engine = null;
        if (losingTheShards) {
            Directories.deleteRecursively(environment.dataDir().resolve("ledger"));
        }
        engine = environment.startEngine();
    }

    /** An earn whose record carries the given timestamp, as a producer with that clock would send it. */
    private void earn(String requestId, String userId, String action, String recordedAt) {
        String value = "{\"requestId\":\"" + requestId + "\",\"userId\":\"" + userId + "\",\"action\":\"" + action
                + "\"}";
        client.send(new ProducerRecord<>(environment.topics().earnRequests(), null,
                Instant.parse(recordedAt).toEpochMilli(), userId.getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8)));
    }
}
