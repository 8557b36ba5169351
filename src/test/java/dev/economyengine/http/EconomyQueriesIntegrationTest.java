package dev.economyengine.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.economyengine.app.EconomyEngine;
import dev.economyengine.config.RulesLoader;
import dev.economyengine.testing.EconomyClient;
import dev.economyengine.testing.EconomyTestEnvironment;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The query API of currencies and limits, on a real worker and broker, every response checked against
 * openapi.yaml: balances in every currency, history filtered by currency, a user's use of the limits,
 * and the economy in force.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EconomyQueriesIntegrationTest {
    private static final String ECONOMY = """
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
                                    "limits": [ { "count": 30, "period": "PT1H" } ] },
                "first_purchase": { "currency": "gems",  "baseAmount": 100, "multiplier": 1.5,
                                    "limits": [ { "count": 1 } ] }
              }
            }
            """;

    private EconomyTestEnvironment environment;
    private EconomyEngine engine;
    private EconomyClient kafka;
    private ApiClient api;
    private Path economyFile;
    private final OpenApiContract contract = OpenApiContract.load();

    @BeforeAll
    void start(@TempDir Path workDir) throws IOException {
        economyFile = Files.writeString(workDir.resolve("economy.json"), ECONOMY);
        environment = new EconomyTestEnvironment(workDir, 2).with("ECONOMY_RULES_FILE", economyFile.toString());
        engine = environment.startEngine();
        kafka = new EconomyClient(environment);
        api = new ApiClient(engine.httpUrl());
        await().atMost(EconomyClient.TIMEOUT).until(() -> engine.readiness().ready());
    }

    @AfterAll
    void stop() {
        kafka.close();
        engine.close();
    }

    @Test
    void balance_listsEveryCurrencyOfTheEconomy_zeroWhenNone_theDefaultCurrencysAsBalance() {
        kafka.earn("buy-1", "alice", "first_purchase");
        kafka.awaitResult("alice", "buy-1");

        JsonNode balance = get("/v1/users/alice/balance");

        assertThat(balance.get("balance").asLong()).isZero();
        assertThat(balance.get("balances").get("coins").asLong()).isZero();
        assertThat(balance.get("balances").get("gems").asLong()).isEqualTo(150);
        assertThat(balance.get("version").asLong()).isEqualTo(1);
        JsonNode nobody = get("/v1/users/nobody-here/balance");
        assertThat(nobody.get("balances").fieldNames()).toIterable().containsExactly("coins", "gems");
    }

    @Test
    void transactions_nameTheirCurrency_andTheCurrencyParameterFilters_withStableCursors() {
        kafka.earn("buy-1", "bob", "first_purchase");
        for (int i = 1; i <= 3; i++) {
            kafka.earn("quest-" + i, "bob", "quest");
            spend("gems-" + i, "bob", 10, "gems");
        }
        kafka.awaitResult("bob", "gems-3");

        JsonNode all = get("/v1/users/bob/transactions");
        assertThat(all.get("transactions")).extracting(t -> t.get("requestId").asText() + " "
                + t.get("currency").asText()).containsExactly("gems-3 gems", "quest-3 coins", "gems-2 gems",
                "quest-2 coins", "gems-1 gems", "quest-1 coins", "buy-1 gems");
        assertThat(all.get("transactions").get(0).get("entries")).extracting(e -> e.get("currency").asText())
                .containsOnly("gems");
        assertThat(all.get("transactions").get(1).get("rulesVersion").asText())
                .isEqualTo(RulesLoader.load(Optional.of(economyFile)).rulesVersion());
        assertThat(all.get("transactions").get(0).get("rulesVersion").isNull()).as("a spend").isTrue();

        List<String> gems = new ArrayList<>();
        JsonNode page = get("/v1/users/bob/transactions?currency=gems&limit=2");
        gems.addAll(requestIds(page));
        spend("gems-4", "bob", 10, "gems");
        kafka.awaitResult("bob", "gems-4");
        while (!page.get("nextCursor").isNull()) {
            page = get("/v1/users/bob/transactions?currency=gems&limit=2&cursor=" + page.get("nextCursor").asText());
            gems.addAll(requestIds(page));
        }
        assertThat(gems).containsExactly("gems-3", "gems-2", "gems-1", "buy-1");
    }

    @Test
    void transactions_ofACurrencyTheEconomyLacks_areRefusedWith400() {
        HttpResponse<String> response = api.get("/v1/users/bob/transactions?currency=diamonds");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(ApiClient.json(response).get("error").asText()).isEqualTo("unknown_currency");
        contract.assertConforms("/v1/users/bob/transactions", response);
    }

    @Test
    void limits_showWhatTheUserUsedAndHasLeftOfEach_andWhenItResets() {
        Instant now = Instant.now();
        String today = now.toString().substring(0, 10);
        earnAt("login-1", "carol", "daily_login", now);
        earnAt("quest-1", "carol", "quest", now);
        earnAt("buy-1", "carol", "first_purchase", now);
        kafka.awaitResult("carol", "buy-1");

        JsonNode limits = get("/v1/users/carol/limits");

        assertThat(limits.get("limits")).extracting(l -> l.get("limit").asText() + " used " + l.get("used").asLong()
                + " left " + l.get("left").asLong()).containsExactly(
                        "daily_login: 1 per calendar day used 1 left 0",
                        "first_purchase: 1 ever used 1 left 0",
                        "quest: 30 per rolling hour used 1 left 29",
                        "gems: 500 earned per calendar day used 150 left 350");
        JsonNode daily = limits.get("limits").get(0);
        assertThat(daily.get("kind").asText()).isEqualTo("count");
        assertThat(daily.get("resetsAt").asText()).isEqualTo(LocalDate.parse(today).plusDays(1) + "T00:00:00.000Z");
        assertThat(limits.get("limits").get(1).get("resetsAt").isNull()).as("lifetime").isTrue();
        JsonNode gems = limits.get("limits").get(3);
        assertThat(gems.get("kind").asText()).isEqualTo("amount");
        assertThat(gems.get("action").isNull()).isTrue();
        assertThat(gems.get("currency").asText()).isEqualTo("gems");
    }

    @Test
    void economy_showsTheCurrenciesRulesAndLimitsInForce_withTheRulesVersion() {
        JsonNode economy = get("/v1/economy");

        assertThat(economy.get("rulesVersion").asText())
                .isEqualTo(RulesLoader.load(Optional.of(economyFile)).rulesVersion());
        assertThat(economy.get("defaultCurrency").asText()).isEqualTo("coins");
        assertThat(economy.get("currencies").get("gems").get("cap").asLong()).isEqualTo(1_000_000);
        assertThat(economy.get("currencies").get("gems").get("earnLimits").get(0).get("limit").asText())
                .isEqualTo("gems: 500 earned per calendar day");
        JsonNode purchase = economy.get("earningRules").get("first_purchase");
        assertThat(purchase.get("currency").asText()).isEqualTo("gems");
        assertThat(purchase.get("amount").asLong()).isEqualTo(150);
        assertThat(purchase.get("limits").get(0).get("period").isNull()).isTrue();
        assertThat(economy.get("earningRules").get("quest").get("limits").get(0).get("period").asText())
                .isEqualTo("PT1H");
    }

    private JsonNode get(String pathAndQuery) {
        HttpResponse<String> response = api.get(pathAndQuery);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        contract.assertConforms(pathAndQuery.replaceFirst("\\?.*", ""), response);
        return ApiClient.json(response);
    }

    private void spend(String requestId, String userId, long amount, String currency) {
        kafka.send(environment.topics().spendRequests(), userId, "{\"requestId\":\"" + requestId + "\",\"userId\":\""
                + userId + "\",\"amount\":" + amount + ",\"currency\":\"" + currency + "\"}");
    }

    private void earnAt(String requestId, String userId, String action, Instant at) {
        kafka.send(new ProducerRecord<>(environment.topics().earnRequests(), null, at.toEpochMilli(),
                userId.getBytes(StandardCharsets.UTF_8), ("{\"requestId\":\"" + requestId + "\",\"userId\":\"" + userId
                        + "\",\"action\":\"" + action + "\"}").getBytes(StandardCharsets.UTF_8)));
    }

    private static List<String> requestIds(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("transactions").forEach(t -> ids.add(t.get("requestId").asText()));
        return ids;
    }
}
