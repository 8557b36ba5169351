package dev.economyengine.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EconomyTest {
    private static final Currency COINS = new Currency("coins", 1_000_000_000L);
    private static final Currency GEMS = new Currency("gems", 1_000_000L,
            List.of(new AmountLimit(500, new Window.Calendar(CalendarUnit.DAY))));

    @Test
    void economy_withARuleInAnUnknownCurrency_isRefusedNamingTheRuleAndTheCurrency() {
        EarningRule rule = new EarningRule("quest", "diamonds", 10, BigDecimal.ONE, List.of());

        assertThatThrownBy(() -> new Economy("coins", List.of(COINS), List.of(rule)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("quest")
                .hasMessageContaining("diamonds");
    }

    @Test
    void economy_withARuleCreditingMoreThanItsCurrencysCap_isRefused() {
        EarningRule rule = new EarningRule("chest", "gems", 1_000_001, BigDecimal.ONE, List.of());

        assertThatThrownBy(() -> new Economy("coins", List.of(COINS, new Currency("gems", 1_000_000L)), List.of(rule)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("chest")
                .hasMessageContaining("cap of 1000000");
    }

    @Test
    void economy_withARuleThatNoEarnLimitOfItsCurrencyCouldEverLetPass_isRefused() {
        EarningRule rule = new EarningRule("chest", "gems", 501, BigDecimal.ONE, List.of());

        assertThatThrownBy(() -> new Economy("coins", List.of(COINS, GEMS), List.of(rule)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("chest")
                .hasMessageContaining("gems: 500 earned per calendar day");
    }

    @Test
    void economy_whoseDefaultCurrencyIsNotOneOfItsCurrencies_isRefused() {
        assertThatThrownBy(() -> new Economy("gold", List.of(COINS), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("defaultCurrency")
                .hasMessageContaining("gold");
    }

    @Test
    void economy_withACurrencyTwice_isRefused() {
        assertThatThrownBy(() -> new Economy("coins", List.of(COINS, new Currency("coins", 5)), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("coins");
    }

    @Test
    void rulesVersion_isTheSameWhateverTheOrderOfCurrenciesRulesAndLimits() {
        CountLimit daily = new CountLimit(1, new Window.Calendar(CalendarUnit.DAY));
        CountLimit hourly = new CountLimit(1, new Window.Rolling("PT1H", Duration.ofHours(1)));
        EarningRule login = new EarningRule("login", "coins", 10, BigDecimal.ONE, List.of(daily, hourly));
        EarningRule loginReordered = new EarningRule("login", "coins", 10, new BigDecimal("1.00"), List.of(hourly, daily));
        EarningRule win = new EarningRule("win", "gems", 5, BigDecimal.ONE, List.of());

        Economy one = new Economy("coins", List.of(COINS, GEMS), List.of(login, win));
        Economy other = new Economy("coins", List.of(GEMS, COINS), List.of(win, loginReordered));

        assertThat(one.rulesVersion()).isEqualTo(other.rulesVersion()).matches("[0-9a-f]{16}");
        assertThat(new Economy("gems", List.of(COINS, GEMS), List.of(login, win)).rulesVersion())
                .isNotEqualTo(one.rulesVersion());
    }

    @ParameterizedTest(name = "{0} per {1} calendar={2}: {3}")
    @CsvSource({
        "1,  P1D,  true,  'daily_login: 1 per calendar day'",
        "2,  PT1H, true,  'daily_login: 2 per calendar hour'",
        "3,  P1W,  true,  'daily_login: 3 per calendar week'",
        "4,  P1M,  true,  'daily_login: 4 per calendar month'",
        "30, PT1H, false, 'daily_login: 30 per rolling hour'",
        "5,  P1D,  false, 'daily_login: 5 per rolling day'",
        "5,  PT90M, false, 'daily_login: 5 per rolling 90 minutes'",
        "5,  P2W,  false, 'daily_login: 5 per rolling 14 days'",
        "1,  ,     false, 'daily_login: 1 ever'",
    })
    void countLimit_describesItselfForTheMessageOfARejection(long count, String period, boolean calendar,
            String expected) {
        assertThat(new CountLimit(count, Window.of(period, calendar)).describe("daily_login")).isEqualTo(expected);
    }

    @Test
    void amountLimit_describesItselfForTheMessageOfARejection() {
        assertThat(new AmountLimit(500, Window.of("P1D", true)).describe("gems"))
                .isEqualTo("gems: 500 earned per calendar day");
        assertThat(new AmountLimit(500, Window.of(null, false)).describe("gems")).isEqualTo("gems: 500 earned ever");
    }

    @ParameterizedTest
    @ValueSource(strings = {"P1Y", "P1M", "P0D", "PT0S", "-PT1H", "P", "1h", "PT0.0005S", "P4000D"})
    void rollingWindow_withoutAFixedPositiveLength_isRefused(String period) {
        assertThatThrownBy(() -> Window.of(period, false)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"P2D", "PT24H", "PT60M", "P7D", "P1Y", "pt1h"})
    void calendarWindow_otherThanAnHourDayWeekOrMonth_isRefused(String period) {
        assertThatThrownBy(() -> Window.of(period, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PT1H, P1D, P1W or P1M");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Coins", "1coins", "", "coins!", "_coins", "a23456789012345678901234567890123"})
    void currencyCode_outsideItsPattern_isRefused(String code) {
        assertThatThrownBy(() -> new Currency(code, 10)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1, 1_000_000_000_000_001L})
    void currencyCap_outsideOneToTenToTheFifteenth_isRefused(long cap) {
        assertThatThrownBy(() -> new Currency("gems", cap))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cap");
    }
}
