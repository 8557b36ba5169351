package dev.economyengine.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EarningRuleTest {

    @ParameterizedTest(name = "{0} x {1} credits {2}")
    @CsvSource({
        "10, 1.5, 15",
        "3, 1.5, 4",
        "30, 0.1, 3",
        "7, 2.0, 14",
        "100, 0.29, 29",
        "100, 0.57, 57",
        "1, 1, 1",
        "9, 0.99, 8",
        "1000000000, 1, 1000000000",
        "500000000, 2, 1000000000",
    })
    void creditedAmount_isTheFloorOfBaseTimesMultiplier(long baseAmount, String multiplier, long credited) {
        EarningRule rule = new EarningRule("quest", baseAmount, new BigDecimal(multiplier));

        assertThat(rule.creditedAmount()).isEqualTo(credited);
    }

    @Test
    void creditedAmount_ofPointOneTimesThirty_isExactlyThree() {
        // In doubles 0.1 x 30 is 3.0000000000000004 and 0.29 x 100 is 28.999999999999996.
        assertThat(new EarningRule("daily_login", 30, new BigDecimal("0.1")).creditedAmount()).isEqualTo(3);
        assertThat(new EarningRule("daily_login", 100, new BigDecimal("0.29")).creditedAmount()).isEqualTo(29);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1, Long.MIN_VALUE})
    void rule_withABaseAmountBelowOne_isRefusedNamingTheAction(long baseAmount) {
        assertThatThrownBy(() -> new EarningRule("daily_login", baseAmount, BigDecimal.ONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("daily_login")
                .hasMessageContaining("baseAmount");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "0.000", "-1", "-0.5"})
    void rule_withAMultiplierThatIsNotPositive_isRefusedNamingTheAction(String multiplier) {
        assertThatThrownBy(() -> new EarningRule("daily_login", 10, new BigDecimal(multiplier)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("daily_login")
                .hasMessageContaining("multiplier");
    }

    @Test
    void rule_creditingZeroAfterTheFloor_isRefusedNamingTheAction() {
        assertThatThrownBy(() -> new EarningRule("level_up", 1, new BigDecimal("0.5")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("level_up")
                .hasMessageContaining("credits 0");
        assertThatThrownBy(() -> new EarningRule("level_up", 9, new BigDecimal("0.1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("level_up");
    }

    @Test
    void rule_creditingMoreThanTheLargestCapOfAnyCurrency_isRefusedNamingTheAction() {
        assertThatThrownBy(() -> new EarningRule("jackpot", "gems", Money.MAX_CAP + 1, BigDecimal.ONE, List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jackpot")
                .hasMessageContaining("1000000000000001");
        assertThat(new EarningRule("jackpot", "gems", Money.MAX_CAP, BigDecimal.ONE, List.of()).creditedAmount())
                .isEqualTo(Money.MAX_CAP);
    }

    @Test
    void ruleOfTheFirstFormat_creditingMoreThanTheLargestAmountOfCoins_isRefusedNamingTheAction() {
        assertThatThrownBy(() -> new EarningRule("jackpot", 1_000_000_001L, BigDecimal.ONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jackpot")
                .hasMessageContaining("1000000001");
        assertThatThrownBy(() -> new EarningRule("jackpot", 1_000_000_000L, new BigDecimal("1.000000001")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jackpot");
        assertThatThrownBy(() -> new EarningRule("jackpot", Long.MAX_VALUE, new BigDecimal("2")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jackpot");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t"})
    void rule_withABlankAction_isRefused(String action) {
        assertThatThrownBy(() -> new EarningRule(action, 10, BigDecimal.ONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("action");
    }

    @Test
    void rule_withNoActionOrNoMultiplier_isRefused() {
        assertThatThrownBy(() -> new EarningRule(null, 10, BigDecimal.ONE))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("action");
        assertThatThrownBy(() -> new EarningRule("quest", 10, null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("multiplier");
    }

    @Test
    void rules_findARuleByItsActionAndNothingForAnUnknownAction() {
        EarningRule login = new EarningRule("daily_login", 10, BigDecimal.ONE);
        EarningRule quest = new EarningRule("quest", 100, new BigDecimal("1.5"));
        EarningRules rules = new EarningRules(List.of(login, quest));

        assertThat(rules.forAction("quest")).contains(quest);
        assertThat(rules.forAction("daily_login")).contains(login);
        assertThat(rules.forAction("fly")).isEmpty();
        assertThat(rules.all()).containsExactlyInAnyOrder(login, quest);
    }
}
