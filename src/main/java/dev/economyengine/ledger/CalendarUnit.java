package dev.economyengine.ledger;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.Optional;

/** A UTC calendar unit a limit's window can be: the hour, the day, the ISO week (from Monday) or the month. */
public enum CalendarUnit {
    HOUR("PT1H", "hour"),
    DAY("P1D", "day"),
    WEEK("P1W", "week"),
    MONTH("P1M", "month");

    private final String period;
    private final String noun;

    CalendarUnit(String period, String noun) {
        this.period = period;
        this.noun = noun;
    }

    /** The ISO-8601 period that names this unit in an economy file. */
    public String period() {
        return period;
    }

    /** The unit in words: "day". */
    public String noun() {
        return noun;
    }

    /** The unit named by an economy file's period, if it is one of the four. */
    static Optional<CalendarUnit> ofPeriod(String period) {
        for (CalendarUnit unit : values()) {
            if (unit.period.equals(period)) {
                return Optional.of(unit);
            }
        }
        return Optional.empty();
    }

    /** The first millisecond (epoch milliseconds) of the unit that contains {@code epochMillis}, in UTC. */
    public long start(long epochMillis) {
        ZonedDateTime at = Instant.ofEpochMilli(epochMillis).atZone(ZoneOffset.UTC);
        ZonedDateTime start = switch (this) {
            case HOUR -> at.truncatedTo(ChronoUnit.HOURS);
            case DAY -> at.truncatedTo(ChronoUnit.DAYS);
            case WEEK -> at.truncatedTo(ChronoUnit.DAYS).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case MONTH -> LocalDate.of(at.getYear(), at.getMonth(), 1).atStartOfDay(ZoneOffset.UTC);
        };
        return start.toInstant().toEpochMilli();
    }

    /** The first millisecond of the unit after the one that starts at {@code start}. */
    public long next(long start) {
        ZonedDateTime at = Instant.ofEpochMilli(start).atZone(ZoneOffset.UTC);
        ZonedDateTime next = switch (this) {
            case HOUR -> at.plusHours(1);
            case DAY -> at.plusDays(1);
            case WEEK -> at.plusWeeks(1);
            case MONTH -> at.plusMonths(1);
        };
        return next.toInstant().toEpochMilli();
    }
}
