package dev.economyengine.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Earn limits decided from a user's usage of them: windows, their boundaries, and when an earn next passes. */
class LimitUsageTest {
    private static final CountLimit ONE_PER_DAY = new CountLimit(1, new Window.Calendar(CalendarUnit.DAY));
    private static final CountLimit ONCE_EVER = new CountLimit(1, new Window.Lifetime());

    @Test
    void calendarDayLimit_refusesASecondEarnThatDay_untilMidnightUtc() {
        LimitUsage usage = accept(LimitUsage.NONE, List.of(ONE_PER_DAY), "2026-03-14T09:30:00Z", 1);

        Optional<LimitReached> sameDay = usage.check("daily_login", List.of(ONE_PER_DAY), at("2026-03-14T23:59:59.999Z"), 1);

        assertThat(sameDay).contains(new LimitReached("daily_login: 1 per calendar day",
                Instant.parse("2026-03-15T00:00:00Z")));
        assertThat(usage.check("daily_login", List.of(ONE_PER_DAY), at("2026-03-15T00:00:00Z"), 1)).isEmpty();
    }

    /** Each calendar unit, at the last millisecond of one unit and the first of the next. */
    @ParameterizedTest(name = "{0}: {1} then {2}")
    @CsvSource({
        "HOUR,  2026-03-14T09:59:59.999Z, 2026-03-14T10:00:00Z",
        "DAY,   2026-12-31T23:59:59.999Z, 2027-01-01T00:00:00Z",
        "WEEK,  2026-03-15T23:59:59.999Z, 2026-03-16T00:00:00Z",
        "WEEK,  2026-12-31T12:00:00Z,     2027-01-04T00:00:00Z",
        "MONTH, 2026-01-31T23:59:59.999Z, 2026-02-01T00:00:00Z",
        "MONTH, 2028-02-29T23:59:59.999Z, 2028-03-01T00:00:00Z",
        "MONTH, 2026-12-31T23:59:59.999Z, 2027-01-01T00:00:00Z",
    })
    void calendarLimit_isFullToTheLastMillisecondOfItsUnit_andFreeAtTheFirstOfTheNext(CalendarUnit unit, String last,
            String next) {
        CountLimit limit = new CountLimit(1, new Window.Calendar(unit));
        LimitUsage usage = accept(LimitUsage.NONE, List.of(limit), last, 1);

        assertThat(usage.check("a", List.of(limit), at(last), 1))
                .hasValueSatisfying(reached -> assertThat(reached.nextAllowedAt()).isEqualTo(Instant.parse(next)));
        assertThat(usage.check("a", List.of(limit), at(next) - 1, 1)).isPresent();
        assertThat(usage.check("a", List.of(limit), at(next), 1)).isEmpty();
    }

    @Test
    void isoWeek_startsOnMonday_soSundayAndTheFollowingMondayAreDifferentWeeks() {
        CountLimit weekly = new CountLimit(1, new Window.Calendar(CalendarUnit.WEEK));
        // 2026-03-09 is a Monday.
        LimitUsage usage = accept(LimitUsage.NONE, List.of(weekly), "2026-03-09T00:00:00Z", 1);

        assertThat(usage.check("a", List.of(weekly), at("2026-03-15T23:59:59.999Z"), 1)).isPresent();
        assertThat(usage.check("a", List.of(weekly), at("2026-03-16T00:00:00Z"), 1)).isEmpty();
    }

    @Test
    void rollingCountLimit_countsTheEarnsOfTheLastPeriod_theOldestLeavingExactlyOnePeriodAfterIt() {
        CountLimit threePerHour = new CountLimit(3, new Window.Rolling("PT1H", Duration.ofHours(1)));
        LimitUsage usage = LimitUsage.NONE;
        for (String time : List.of("2026-03-14T10:00:00Z", "2026-03-14T10:20:00Z", "2026-03-14T10:40:00Z")) {
            usage = accept(usage, List.of(threePerHour), time, 1);
        }

        assertThat(usage.check("quest", List.of(threePerHour), at("2026-03-14T10:59:59.999Z"), 1))
                .contains(new LimitReached("quest: 3 per rolling hour", Instant.parse("2026-03-14T11:00:00Z")));
        // (t - 1h, t]: at 11:00 the earn of 10:00 is out of the window.
        assertThat(usage.check("quest", List.of(threePerHour), at("2026-03-14T11:00:00Z"), 1)).isEmpty();
        assertThat(usage.used(threePerHour, at("2026-03-14T11:00:00Z"))).isEqualTo(2);
    }

    @Test
    void rollingCountLimit_keepsNoMoreEarnsThanItCounts() {
        CountLimit twoPerMinute = new CountLimit(2, new Window.Rolling("PT1M", Duration.ofMinutes(1)));
        LimitUsage usage = LimitUsage.NONE;
        for (int second = 0; second < 600; second += 31) {
            usage = accept(usage, List.of(twoPerMinute), Instant.parse("2026-03-14T10:00:00Z").plusSeconds(second)
                    .toString(), 1);
        }

        assertThat(usage.rollingTimes()).hasSizeLessThanOrEqualTo(2);
    }

    @Test
    void lifetimeLimit_oncePassed_neverLetsTheEarnPassAgain_soItHasNoNextTime() {
        LimitUsage usage = accept(LimitUsage.NONE, List.of(ONCE_EVER), "2026-03-14T10:00:00Z", 1);

        assertThat(usage.check("first_purchase", List.of(ONCE_EVER), at("2036-03-14T10:00:00Z"), 1))
                .contains(new LimitReached("first_purchase: 1 ever", null));
    }

    @Test
    void amountLimit_sumsTheAmounts_andLetsAnEarnPassOnlyIfTheSumStaysWithin() {
        AmountLimit fiveHundredPerDay = new AmountLimit(500, new Window.Calendar(CalendarUnit.DAY));
        LimitUsage usage = LimitUsage.NONE;
        for (int i = 0; i < 3; i++) {
            usage = accept(usage, List.of(fiveHundredPerDay), "2026-03-14T10:0" + i + ":00Z", 150);
        }

        assertThat(usage.used(fiveHundredPerDay, at("2026-03-14T11:00:00Z"))).isEqualTo(450);
        assertThat(usage.check("gems", List.of(fiveHundredPerDay), at("2026-03-14T11:00:00Z"), 50)).isEmpty();
        assertThat(usage.check("gems", List.of(fiveHundredPerDay), at("2026-03-14T11:00:00Z"), 51))
                .contains(new LimitReached("gems: 500 earned per calendar day", Instant.parse("2026-03-15T00:00:00Z")));
        assertThat(usage.check("gems", List.of(fiveHundredPerDay), at("2026-03-14T11:00:00Z"), 501))
                .as("an earn larger than the limit never passes").contains(
                        new LimitReached("gems: 500 earned per calendar day", null));
    }

    @Test
    void rollingAmountLimit_nextTimeIsWhenEnoughOfTheOldestEarnsHaveLeftTheWindow() {
        AmountLimit hundredPerHour = new AmountLimit(100, new Window.Rolling("PT1H", Duration.ofHours(1)));
        LimitUsage usage = LimitUsage.NONE;
        usage = accept(usage, List.of(hundredPerHour), "2026-03-14T10:00:00Z", 30);
        usage = accept(usage, List.of(hundredPerHour), "2026-03-14T10:10:00Z", 30);
        usage = accept(usage, List.of(hundredPerHour), "2026-03-14T10:20:00Z", 40);

        // 50 more needs 50 to leave: the earns of 10:00 (30) and 10:10 (30).
        assertThat(usage.check("gems", List.of(hundredPerHour), at("2026-03-14T10:30:00Z"), 50))
                .hasValueSatisfying(reached -> assertThat(reached.nextAllowedAt())
                        .isEqualTo(Instant.parse("2026-03-14T11:10:00Z")));
        assertThat(usage.check("gems", List.of(hundredPerHour), at("2026-03-14T11:10:00Z"), 50)).isEmpty();
        assertThat(usage.check("gems", List.of(hundredPerHour), at("2026-03-14T11:09:59.999Z"), 50)).isPresent();
    }

    @Test
    void earnWithAnOlderTimestampThanTheLatest_isJudgedAtTheLatest_soItCannotSlipIntoAnEarlierWindow() {
        LimitUsage usage = accept(LimitUsage.NONE, List.of(ONE_PER_DAY), "2026-03-15T00:00:01Z", 1);

        Optional<LimitReached> yesterday = usage.check("daily_login", List.of(ONE_PER_DAY),
                at("2026-03-14T23:00:00Z"), 1);

        assertThat(yesterday).contains(new LimitReached("daily_login: 1 per calendar day",
                Instant.parse("2026-03-16T00:00:00Z")));
    }

    @Test
    void ofSeveralFailedLimits_theOneHoldingTheEarnBackLongest_isReported() {
        CountLimit twoPerHour = new CountLimit(2, new Window.Rolling("PT1H", Duration.ofHours(1)));
        CountLimit twoPerDay = new CountLimit(2, new Window.Calendar(CalendarUnit.DAY));
        List<CountLimit> limits = List.of(twoPerHour, twoPerDay);
        LimitUsage usage = accept(accept(LimitUsage.NONE, limits, "2026-03-14T10:00:00Z", 1), limits,
                "2026-03-14T10:30:00Z", 1);

        assertThat(usage.check("quest", limits, at("2026-03-14T10:45:00Z"), 1))
                .contains(new LimitReached("quest: 2 per calendar day", Instant.parse("2026-03-15T00:00:00Z")));
        assertThat(LimitReached.later(new LimitReached("a", Instant.EPOCH), new LimitReached("b", null)).limit())
                .isEqualTo("b");
    }

    @Test
    void sameEarnsInTheSameOrder_leaveTheSameUsage() {
        List<Limit> limits = List.of(ONE_PER_DAY, new CountLimit(5, new Window.Rolling("PT1H", Duration.ofHours(1))));
        LimitUsage one = LimitUsage.NONE;
        LimitUsage other = LimitUsage.NONE;
        for (String time : List.of("2026-03-14T10:00:00Z", "2026-03-15T10:00:00Z", "2026-03-15T10:00:00Z")) {
            one = one.recorded(limits, at(time), 1);
            other = other.recorded(limits, at(time), 1);
        }

        assertThat(one).isEqualTo(other);
        assertThat(one.rollingWeights()).as("two earns at one time are kept as one").containsExactly(2);
    }

    private static LimitUsage accept(LimitUsage usage, List<? extends Limit> limits, String time, long weight) {
        assertThat(usage.check("x", limits, at(time), weight)).as("%s passes", time).isEmpty();
        return usage.recorded(limits, at(time), weight);
    }

    private static long at(String time) {
        return Instant.parse(time).toEpochMilli();
    }
}
