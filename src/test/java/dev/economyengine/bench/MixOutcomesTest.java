package dev.economyengine.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The counts of what the worker answered, by kind of request; the end-to-end run is BenchCommandTest's. */
class MixOutcomesTest {
    @Test
    void outcomes_areListedOkFirst_thenByResultCode_duplicatesLast_andSumToTheKindsRequests() {
        MixOutcomes outcomes = new MixOutcomes(Map.of(RequestMix.Kind.DAILY_LOGIN,
                Map.of("duplicate", 2L, "LIMIT_REACHED", 30L, "OK", 68L)));

        assertThat(outcomes.counts().get(RequestMix.Kind.DAILY_LOGIN).keySet())
                .containsExactly("OK", "LIMIT_REACHED", "duplicate");
        assertThat(outcomes.requests(RequestMix.Kind.DAILY_LOGIN)).isEqualTo(100);
        assertThat(outcomes.requests(RequestMix.Kind.GEM_SPEND)).as("a kind the backlog had none of").isZero();
    }

    @Test
    void anOutcomeThatIsNoResultCode_isRefused() {
        assertThatThrownBy(() -> new MixOutcomes(Map.of(RequestMix.Kind.GEM_SPEND, Map.of("MAYBE", 1L))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MAYBE");
    }
}
