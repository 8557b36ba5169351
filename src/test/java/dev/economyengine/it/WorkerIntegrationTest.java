package dev.economyengine.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.economyengine.app.EconomyEngine;
import dev.economyengine.testing.EconomyClient;
import dev.economyengine.testing.EconomyTestEnvironment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worker end to end against a real broker and real SQLite files. */
class WorkerIntegrationTest {
    private static final String RULES = """
            {
              "daily_login":     { "baseAmount": 10,        "multiplier": 1.0 },
              "game_completion": { "baseAmount": 50,        "multiplier": 1.0 },
              "jackpot":         { "baseAmount": 600000000, "multiplier": 1.0 }
            }
            """;

    @TempDir
    Path workDir;

    private EconomyTestEnvironment environment;
    private EconomyEngine engine;
    private EconomyClient client;

    @BeforeEach
    void start() throws Exception {
        Path rules = workDir.resolve("rules.json");
        Files.writeString(rules, RULES);
        environment = new EconomyTestEnvironment(workDir, 2).with("ECONOMY_RULES_FILE", rules.toString());
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
    void earnThenSpend_publishesAcceptedResultsAndBalanceChanges() {
        client.earn("e1", "alice", "game_completion");
        client.spend("s1", "alice", 20);

        JsonNode earned = client.awaitResult("alice", "e1");
        JsonNode spent = client.awaitResult("alice", "s1");

        assertThat(earned.get("type").asText()).isEqualTo("EARN");
        assertThat(earned.get("status").asText()).isEqualTo("ACCEPTED");
        assertThat(earned.get("code").asText()).isEqualTo("OK");
        assertThat(earned.get("amount").asLong()).isEqualTo(50);
        assertThat(earned.get("currency").asText()).as("the one currency of a rules file of the first format")
                .isEqualTo("coins");
        assertThat(earned.get("balance").asLong()).isEqualTo(50);
        assertThat(earned.get("duplicate").asBoolean()).isFalse();
        assertThat(earned.get("transactionId").isTextual()).isTrue();
        assertThat(spent.get("status").asText()).isEqualTo("ACCEPTED");
        assertThat(spent.get("balance").asLong()).isEqualTo(30);

        List<JsonNode> changes = client.awaitBalanceChanges(2);
        assertThat(changes).extracting(c -> c.get("delta").asLong()).containsExactly(50L, -20L);
        assertThat(changes).extracting(c -> c.get("version").asLong()).containsExactly(1L, 2L);
        assertThat(changes).extracting(c -> c.get("balance").asLong()).containsExactly(50L, 30L);
        assertThat(changes.get(1).get("transactionId").asText()).isEqualTo(spent.get("transactionId").asText());
        assertThat(changes.get(1).get("requestId").asText()).isEqualTo("s1");
    }

    @Test
    void requestSeenAgain_getsItsOriginalResultMarkedDuplicate_andNoBalanceChange() {
        client.earn("e1", "bob", "daily_login");
        JsonNode original = client.awaitResult("bob", "e1");
        client.earn("e1", "bob", "daily_login");

        JsonNode repeat = client.awaitResult(r -> r.get("requestId").asText().equals("e1") && r.get("duplicate").asBoolean());

        for (String field : List.of("status", "code", "amount", "balance", "transactionId", "processedAt")) {
            assertThat(repeat.get(field)).as(field).isEqualTo(original.get(field));
        }
        client.spend("s1", "bob", 10);
        client.awaitResult("bob", "s1");
        assertThat(client.balanceChanges()).extracting(c -> c.get("requestId").asText()).containsExactly("e1", "s1");
    }

    @Test
    void sameRequestIdForAnotherUser_isADifferentRequest() {
        client.earn("shared-id", "carol", "daily_login");
        client.earn("shared-id", "dave", "game_completion");

        List<JsonNode> results = client.awaitResults(2);

        assertThat(results).allSatisfy(r -> assertThat(r.get("duplicate").asBoolean()).isFalse());
        assertThat(client.awaitResult("dave", "shared-id").get("balance").asLong()).isEqualTo(50);
        assertThat(client.awaitResult("carol", "shared-id").get("balance").asLong()).isEqualTo(10);
    }

    @Test
    void everyRejectionCode_comesWithAMessageAndAnUnchangedBalance() {
        client.earn("e1", "erin", "daily_login");
        client.spend("too-much", "erin", 11);
        client.earn("j1", "erin", "jackpot");
        client.earn("j2", "erin", "jackpot");
        client.earn("unknown", "erin", "found_a_coin");
        client.send(environment.topics().spendRequests(), "erin",
                "{\"requestId\":\"fraction\",\"userId\":\"erin\",\"amount\":1.5}");

        assertRejected(client.awaitResult("erin", "too-much"), "INSUFFICIENT_BALANCE", 10);
        assertThat(client.awaitResult("erin", "j1").get("status").asText()).isEqualTo("ACCEPTED");
        assertRejected(client.awaitResult("erin", "j2"), "BALANCE_CAP_EXCEEDED", 600_000_010);
        // An unknown action names no currency: the result shows none, and a balance of 0.
        assertRejected(client.awaitResult("erin", "unknown"), "UNKNOWN_ACTION", 0);
        assertRejected(client.awaitResult("erin", "fraction"), "INVALID_REQUEST", 600_000_010);
    }

    @Test
    void invalidFields_areRejectedAsInvalidRequest_andTheWorkerCarriesOn() {
        String spend = environment.topics().spendRequests();
        Map<String, String> bodies = Map.of(
                "no-user", "{\"requestId\":\"no-user\",\"amount\":5}",
                "string-amount", "{\"requestId\":\"string-amount\",\"userId\":\"frank\",\"amount\":\"5\"}",
                "array-amount", "{\"requestId\":\"array-amount\",\"userId\":\"frank\",\"amount\":[5]}",
                "negative", "{\"requestId\":\"negative\",\"userId\":\"frank\",\"amount\":-5}",
                "past-64-bits", "{\"requestId\":\"past-64-bits\",\"userId\":\"frank\",\"amount\":99999999999999999999}",
                "numeric-user", "{\"requestId\":\"numeric-user\",\"userId\":42,\"amount\":5}");
        bodies.forEach((id, body) -> client.send(spend, "frank", body));
        client.earn("good", "frank", "daily_login");

        assertThat(client.awaitResult("frank", "good").get("status").asText()).isEqualTo("ACCEPTED");
        for (String id : bodies.keySet()) {
            JsonNode result = client.awaitResult(r -> r.get("requestId").asText().equals(id));
            assertThat(result.get("code").asText()).as(id).isEqualTo("INVALID_REQUEST");
            assertThat(result.get("status").asText()).as(id).isEqualTo("REJECTED");
            assertThat(result.get("transactionId").isNull()).as(id).isTrue();
        }
    }

    @Test
    void recordOutsideTheUsersDefaultPartition_isForwardedAndApplied_soAUserNeverHasTwoBalances() {
        int home = org.apache.kafka.common.utils.Utils.toPositive(
                org.apache.kafka.common.utils.Utils.murmur2("kate".getBytes(StandardCharsets.UTF_8))) % 2;
        client.sendToPartition(environment.topics().earnRequests(), 1 - home, "kate",
                "{\"requestId\":\"elsewhere\",\"userId\":\"kate\",\"action\":\"daily_login\"}");
        client.sendToPartition(environment.topics().earnRequests(), home, "kate",
                "{\"requestId\":\"home\",\"userId\":\"kate\",\"action\":\"daily_login\"}");

        JsonNode misplaced = client.awaitResult("kate", "elsewhere");
        JsonNode placed = client.awaitResult("kate", "home");
        assertThat(List.of(misplaced, placed)).allSatisfy(r -> {
            assertThat(r.get("status").asText()).isEqualTo("ACCEPTED");
            assertThat(r.get("duplicate").asBoolean()).isFalse();
        });
        // One balance: whichever came second saw the first.
        assertThat(List.of(misplaced.get("balance").asLong(), placed.get("balance").asLong()))
                .containsExactlyInAnyOrder(10L, 20L);
        assertThat(client.awaitBalanceChanges(2)).extracting(c -> c.get("version").asLong()).containsExactly(1L, 2L);
    }

    @Test
    void unreadableRecords_goToTheDeadLetterTopicWithReasonAndOriginalBytes_andGoodRecordsBehindThemAreApplied() {
        byte[] garbage = {(byte) 0xC3, 0x28, '{', '}'};
        String earn = environment.topics().earnRequests();
        client.send(earn, "gina".getBytes(StandardCharsets.UTF_8), garbage);
        client.send(earn, "gina", "[1,2,3]");
        client.send(earn, "gina", "{\"userId\":\"gina\",\"action\":\"daily_login\"}");
        client.earn("after-garbage", "gina", "daily_login");

        assertThat(client.awaitResult("gina", "after-garbage").get("balance").asLong()).isEqualTo(10);
        List<ConsumerRecord<byte[], byte[]>> dead = client.awaitDeadLetters(3);
        assertThat(dead.get(0).value()).isEqualTo(garbage);
        assertThat(dead.get(0).key()).isEqualTo("gina".getBytes(StandardCharsets.UTF_8));
        assertThat(dead).extracting(r -> header(r, "economy.dlq.reason"))
                .satisfiesExactly(
                        reason -> assertThat(reason).isEqualTo("not valid UTF-8"),
                        reason -> assertThat(reason).isEqualTo("not a JSON object"),
                        reason -> assertThat(reason).isEqualTo("requestId is missing"));
        assertThat(header(dead.get(0), "economy.dlq.topic")).isEqualTo(earn);
        assertThat(client.results()).hasSize(1);
    }

    @Test
    void perUserOrder_isKeptWithinAndAcrossTheTwoTopics() {
        // Each spend is affordable only if the earn published just before it was applied first.
        for (int i = 0; i < 40; i++) {
            client.earn("e" + i, "hank", "daily_login");
            client.spend("s" + i, "hank", 10);
        }

        List<JsonNode> results = client.awaitResults(80);

        assertThat(results).allSatisfy(r -> assertThat(r.get("status").asText()).as(r.toString()).isEqualTo("ACCEPTED"));
        List<JsonNode> changes = client.awaitBalanceChanges(80);
        assertThat(changes).extracting(c -> c.get("version").asLong())
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 80).boxed().toList());
        assertThat(changes).extracting(c -> c.get("requestId").asText()).containsExactlyElementsOf(
                java.util.stream.IntStream.range(0, 40).boxed()
                        .flatMap(i -> java.util.stream.Stream.of("e" + i, "s" + i)).toList());
    }

    @Test
    void restartOnTheSameFiles_losesNothingAndAppliesNothingTwice() throws Exception {
        for (int i = 0; i < 10; i++) {
            client.earn("e" + i, "ivan", "daily_login");
        }
        client.awaitResults(10);
        engine.close();
        engine = null;

        // As if the worker had died after its SQLite commit but before committing offsets:
        // every request is delivered again.
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", environment.bootstrapServers()))) {
            Map<TopicPartition, OffsetAndMetadata> rewind = admin.listConsumerGroupOffsets(environment.groupId())
                    .partitionsToOffsetAndMetadata().get().keySet().stream()
                    .collect(Collectors.toMap(p -> p, p -> new OffsetAndMetadata(0)));
            admin.alterConsumerGroupOffsets(environment.groupId(), rewind).all().get();
        }
        client.spend("s-after-restart", "ivan", 100);
        engine = environment.startEngine();

        JsonNode spent = client.awaitResult("ivan", "s-after-restart");
        assertThat(spent.get("status").asText()).isEqualTo("ACCEPTED");
        assertThat(spent.get("balance").asLong()).isZero();
        List<JsonNode> results = client.awaitResults(21);
        assertThat(results.subList(10, 21)).filteredOn(r -> !r.get("requestId").asText().equals("s-after-restart"))
                .hasSize(10)
                .allSatisfy(r -> assertThat(r.get("duplicate").asBoolean()).isTrue());
        assertThat(client.balanceChanges()).hasSize(11);
    }

    private static void assertRejected(JsonNode result, String code, long balance) {
        assertThat(result.get("status").asText()).isEqualTo("REJECTED");
        assertThat(result.get("code").asText()).isEqualTo(code);
        assertThat(result.get("balance").asLong()).isEqualTo(balance);
        assertThat(result.get("transactionId").isNull()).isTrue();
        assertThat(result.get("message").asText()).isNotBlank();
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
