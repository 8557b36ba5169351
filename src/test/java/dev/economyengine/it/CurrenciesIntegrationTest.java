package dev.economyengine.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.economyengine.app.EconomyEngine;
import dev.economyengine.testing.EconomyClient;
import dev.economyengine.testing.EconomyTestEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two currencies end to end, on a real broker: the fields, the codes and the versions of the wire contract. */
class CurrenciesIntegrationTest {
    static final String ECONOMY = """
            {
              "defaultCurrency": "coins",
              "currencies": {
                "coins": { "cap": 1000000000 },
                "gems":  { "cap": 1000 }
              },
              "earningRules": {
                "daily_login":    { "currency": "coins", "baseAmount": 10,  "multiplier": 1.0 },
                "first_purchase": { "currency": "gems",  "baseAmount": 100, "multiplier": 1.5 },
                "chest":          { "currency": "gems",  "baseAmount": 900, "multiplier": 1 }
              }
            }
            """;

    @TempDir
    Path workDir;

    private EconomyTestEnvironment environment;
    private EconomyEngine engine;
    private EconomyClient client;

    @BeforeEach
    void start() throws Exception {
        Path economy = Files.writeString(workDir.resolve("economy.json"), ECONOMY);
        environment = new EconomyTestEnvironment(workDir, 2).with("ECONOMY_RULES_FILE", economy.toString());
        engine = environment.startEngine();
        client = new EconomyClient(environment);
    }

    @AfterEach
    void stop() {
        client.close();
        engine.close();
    }

    @Test
    void earnsAndSpendsOfTwoCurrencies_eachMoveTheirOwnBalance_andNameTheirCurrencyInResultsAndChanges() {
        client.earn("buy-1", "alice", "first_purchase");
        client.earn("login-1", "alice", "daily_login");
        spend("shop-1", "alice", 100, "\"gems\"");
        spend("shop-2", "alice", 4, null);

        assertResult(client.awaitResult("alice", "buy-1"), "ACCEPTED", "OK", "gems", 150, 150);
        assertResult(client.awaitResult("alice", "login-1"), "ACCEPTED", "OK", "coins", 10, 10);
        assertResult(client.awaitResult("alice", "shop-1"), "ACCEPTED", "OK", "gems", 100, 50);
        assertResult(client.awaitResult("alice", "shop-2"), "ACCEPTED", "OK", "coins", 4, 6);
        List<JsonNode> changes = client.awaitBalanceChanges(4);
        assertThat(changes).extracting(c -> c.get("currency").asText() + " " + c.get("balance").asLong() + " "
                        + c.get("delta").asLong() + " v" + c.get("version").asLong())
                .as("one version for all of a user's balances")
                .containsExactly("gems 150 150 v1", "coins 10 10 v2", "gems 50 -100 v3", "coins 6 -4 v4");
    }

    @Test
    void spendInACurrencyTheEconomyLacks_isRejectedWithUnknownCurrency_noCurrencyAndABalanceOfZero() {
        client.earn("login-1", "bob", "daily_login");
        spend("shop-1", "bob", 5, "\"diamonds\"");

        JsonNode result = client.awaitResult("bob", "shop-1");

        assertResult(result, "REJECTED", "UNKNOWN_CURRENCY", null, 5, 0);
        assertThat(result.get("message").asText()).contains("diamonds");
        assertThat(result.get("nextAllowedAt").isNull()).isTrue();
    }

    @Test
    void spendPastItsCurrencysCap_orWithACurrencyThatIsNotAString_isAnInvalidRequest() {
        client.earn("buy-1", "carol", "first_purchase");
        spend("shop-1", "carol", 1_001, "\"gems\"");
        spend("shop-2", "carol", 5, "7");

        assertResult(client.awaitResult("carol", "shop-1"), "REJECTED", "INVALID_REQUEST", "gems", null, 150);
        assertThat(client.awaitResult("carol", "shop-1").get("message").asText())
                .isEqualTo("amount must be a whole number from 1 to 1000");
        assertResult(client.awaitResult("carol", "shop-2"), "REJECTED", "INVALID_REQUEST", null, null, 0);
    }

    @Test
    void earnPastItsCurrencysCap_isRejected_whileTheOtherCurrencyTakesMore() {
        client.earn("chest-1", "dave", "chest");
        client.earn("chest-2", "dave", "chest");
        client.earn("login-1", "dave", "daily_login");

        assertResult(client.awaitResult("dave", "chest-2"), "REJECTED", "BALANCE_CAP_EXCEEDED", "gems", 900, 900);
        assertResult(client.awaitResult("dave", "login-1"), "ACCEPTED", "OK", "coins", 10, 10);
    }

    @Test
    void currencyOnAnEarn_isIgnored_theRulesCurrencyIsCredited() {
        client.send(environment.topics().earnRequests(), "erin",
                "{\"requestId\":\"login-1\",\"userId\":\"erin\",\"action\":\"daily_login\",\"currency\":\"gems\"}");

        assertResult(client.awaitResult("erin", "login-1"), "ACCEPTED", "OK", "coins", 10, 10);
    }

    @Test
    void duplicate_replaysTheOriginalResult_withItsCurrency() {
        client.earn("buy-1", "frank", "first_purchase");
        spend("shop-1", "frank", 5, "\"diamonds\"");
        JsonNode accepted = client.awaitResult("frank", "buy-1");
        JsonNode rejected = client.awaitResult("frank", "shop-1");
        client.earn("buy-1", "frank", "first_purchase");
        spend("shop-1", "frank", 5, "\"gems\"");

        JsonNode acceptedAgain = client.awaitResult(r -> r.get("requestId").asText().equals("buy-1")
                && r.get("duplicate").asBoolean());
        JsonNode rejectedAgain = client.awaitResult(r -> r.get("requestId").asText().equals("shop-1")
                && r.get("duplicate").asBoolean());

        for (String field : List.of("status", "code", "amount", "currency", "balance", "transactionId", "message",
                "nextAllowedAt", "processedAt")) {
            assertThat(acceptedAgain.get(field)).as(field).isEqualTo(accepted.get(field));
            assertThat(rejectedAgain.get(field)).as(field).isEqualTo(rejected.get(field));
        }
        assertThat(rejectedAgain.get("currency").isNull()).isTrue();
    }

    private void spend(String requestId, String userId, long amount, String currencyJson) {
        client.send(environment.topics().spendRequests(), userId, "{\"requestId\":\"" + requestId + "\",\"userId\":\""
                + userId + "\",\"amount\":" + amount + (currencyJson == null ? "" : ",\"currency\":" + currencyJson)
                + "}");
    }

    private static void assertResult(JsonNode result, String status, String code, String currency, Integer amount,
            long balance) {
        assertThat(result.get("status").asText()).as(result.toString()).isEqualTo(status);
        assertThat(result.get("code").asText()).as(result.toString()).isEqualTo(code);
        if (currency == null) {
            assertThat(result.get("currency").isNull()).as(result.toString()).isTrue();
        } else {
            assertThat(result.get("currency").asText()).as(result.toString()).isEqualTo(currency);
        }
        if (amount == null) {
            assertThat(result.get("amount").isNull()).as(result.toString()).isTrue();
        } else {
            assertThat(result.get("amount").asLong()).as(result.toString()).isEqualTo(amount.longValue());
        }
        assertThat(result.get("balance").asLong()).as(result.toString()).isEqualTo(balance);
        assertThat(result.has("nextAllowedAt")).isTrue();
    }
}
