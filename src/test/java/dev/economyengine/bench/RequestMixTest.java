package dev.economyengine.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The benchmark's request mix: what it sends, in what shares, the same for the same seed. */
class RequestMixTest {
    private static final int REQUESTS = 200_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
            "GAME_COMPLETION, 0.300",
            "GAME_WIN,        0.220",
            "DAILY_LOGIN,     0.060",
            "FIRST_PURCHASE,  0.010",
            "UNKNOWN_ACTION,  0.005",
            "COIN_SPEND,      0.355",
            "GEM_SPEND,       0.050"})
    void eachKind_isItsStatedShareOfTheRequests(RequestMix.Kind kind, double share) {
        Map<RequestMix.Kind, Integer> counts = new EnumMap<>(RequestMix.Kind.class);
        RequestMix mix = new RequestMix(42, 100_000, "t");
        for (int i = 0; i < REQUESTS; i++) {
            counts.merge(mix.next().kind(), 1, Integer::sum);
        }

        assertThat(kind.share()).isEqualTo(share);
        assertThat(RequestMix.shares()).containsEntry(kind.key(), share);
        // Within about four standard deviations of a binomial count: never flaky, and the seed fixes it anyway.
        double tolerance = 4 * Math.sqrt(share * (1 - share) / REQUESTS);
        assertThat(counts.getOrDefault(kind, 0) / (double) REQUESTS).isCloseTo(share, within(tolerance));
    }

    @Test
    void sharesOfAllKinds_sumToOne() {
        assertThat(RequestMix.shares().values().stream().mapToDouble(Double::doubleValue).sum())
                .isCloseTo(1.0, within(1e-9));
    }

    @Test
    void sameSeed_sendsTheSameRequests_anotherSeedOthers() {
        List<String> first = bodies(new RequestMix(7, 1000, "r"), 5000);

        assertThat(bodies(new RequestMix(7, 1000, "r"), 5000)).isEqualTo(first);
        assertThat(bodies(new RequestMix(7, 1000, "r").again(), 5000)).isEqualTo(first);
        assertThat(bodies(new RequestMix(8, 1000, "r"), 5000)).isNotEqualTo(first);
    }

    @Test
    void gemSpend_namesGems_andComesFromAUserSentAFirstPurchaseBefore() throws IOException {
        RequestMix mix = new RequestMix(42, 100_000, "t");
        Set<String> requestIds = new HashSet<>();
        Set<String> sentFirstPurchase = new HashSet<>();
        int gemSpends = 0;
        for (int i = 0; i < 50_000; i++) {
            RequestMix.RequestRecord request = mix.next();
            if (!requestIds.add(request.requestId())) {
                continue; // a duplicate, sent again as it was first made
            }
            JsonNode body = JSON.readTree(request.value());
            switch (request.kind()) {
                case FIRST_PURCHASE -> {
                    assertThat(body.get("action").asText()).isEqualTo("first_purchase");
                    sentFirstPurchase.add(request.userId());
                }
                case GEM_SPEND -> {
                    gemSpends++;
                    assertThat(body.get("currency").asText()).isEqualTo("gems");
                    assertThat(body.get("amount").asLong()).isBetween(1L, 30L);
                    if (!sentFirstPurchase.isEmpty()) {
                        assertThat(sentFirstPurchase).as("a gem spend's user").contains(request.userId());
                    }
                }
                case COIN_SPEND -> assertThat(body.has("currency")).as("a coin spend names the default currency by"
                        + " leaving it out").isFalse();
                case DAILY_LOGIN -> assertThat(body.get("action").asText()).isEqualTo("daily_login");
                default -> { }
            }
        }
        assertThat(gemSpends).isPositive();
    }

    @Test
    void describe_namesEveryKindWithItsShare() {
        assertThat(RequestMix.describe()).contains("5.0% spend gems", "6.0% earn daily_login (coins)",
                "1.0% earn first_purchase (gems)", "35.5% spend coins", "2% of requests sent again as duplicates");
    }

    private static List<String> bodies(RequestMix mix, int count) {
        List<String> bodies = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            bodies.add(new String(mix.next().value(), StandardCharsets.UTF_8));
        }
        return bodies;
    }
}
