package dev.economyengine.ledger;

import java.time.Duration;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The stretch of a user's history a limit counts, at a request's time t: the whole history
 * ({@link Lifetime}), the rolling period {@code (t - P, t]} ({@link Rolling}), or the UTC calendar unit
 * that contains t ({@link Calendar}).
 */
public sealed interface Window permits Window.Lifetime, Window.Rolling, Window.Calendar {
    /** The longest rolling period: ten years of days, far from any overflow of epoch milliseconds. */
    Duration LONGEST_ROLLING = Duration.ofDays(3660);

    /** The period as an economy file names it; empty for the whole history. */
    Optional<String> isoPeriod();

    /** Whether the window is a calendar unit rather than a rolling period. */
    boolean calendar();

    /** The window in words, after an amount: "ever", "per calendar day", "per rolling hour". */
    String describe();

    /** Every earn the user ever had. */
    record Lifetime() implements Window {
        @Override
        public Optional<String> isoPeriod() {
            return Optional.empty();
        }

        @Override
        public boolean calendar() {
            return false;
        }

        @Override
        public String describe() {
            return "ever";
        }
    }

    /**
     * The earns of the last {@code length} up to and including t.
     *
     * @param period the ISO-8601 duration as the file gives it, such as PT1H or P1D
     * @param length its length: fixed, so days are 24 hours (UTC has no daylight saving) and weeks 7 days
     */
    record Rolling(String period, Duration length) implements Window {
        public Rolling {
            Objects.requireNonNull(period, "period");
            Objects.requireNonNull(length, "length");
            if (length.isNegative() || length.isZero() || length.compareTo(LONGEST_ROLLING) > 0) {
                throw new IllegalArgumentException("period must be positive and at most " + LONGEST_ROLLING.toDays()
                        + " days, was " + period);
            }
            if (length.toNanosPart() % 1_000_000 != 0) {
                throw new IllegalArgumentException("period must be whole milliseconds, was " + period);
            }
        }

        @Override
        public Optional<String> isoPeriod() {
            return Optional.of(period);
        }

        @Override
        public boolean calendar() {
            return false;
        }

        @Override
        public String describe() {
            return "per rolling " + words(length.toMillis());
        }

        public long lengthMillis() {
            return length.toMillis();
        }
    }

    /** The earns of the UTC calendar hour, day, ISO week or month that contains t. */
    record Calendar(CalendarUnit unit) implements Window {
        public Calendar {
            Objects.requireNonNull(unit, "unit");
        }

        @Override
        public Optional<String> isoPeriod() {
            return Optional.of(unit.period());
        }

        @Override
        public boolean calendar() {
            return true;
        }

        @Override
        public String describe() {
            return "per calendar " + unit.noun();
        }
    }

    /**
     * The window an economy file describes with {@code period} (null when absent) and {@code calendar};
     * throws {@link IllegalArgumentException} with a message about the period.
     */
    static Window of(String period, boolean calendar) {
        if (period == null) {
            if (calendar) {
                throw new IllegalArgumentException("a calendar window needs a period: PT1H, P1D, P1W or P1M");
            }
            return new Lifetime();
        }
        if (calendar) {
            return new Calendar(CalendarUnit.ofPeriod(period).orElseThrow(() -> new IllegalArgumentException(
                    "a calendar window's period is PT1H, P1D, P1W or P1M, was '" + period + "'")));
        }
        return new Rolling(period, rollingLength(period));
    }

    private static Duration rollingLength(String period) {
        Duration length;
        try {
            if (period.toUpperCase(Locale.ROOT).contains("T")) {
                length = Duration.parse(period);
            } else {
                Period calendarPeriod = Period.parse(period);
                if (calendarPeriod.getYears() != 0 || calendarPeriod.getMonths() != 0) {
                    throw new IllegalArgumentException("a rolling window needs a fixed length, and years and months"
                            + " have none: use calendar: true, or a number of days, was '" + period + "'");
                }
                length = Duration.ofDays(calendarPeriod.getDays());
            }
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + period + "' is not an ISO-8601 duration such as PT1H or P1D");
        }
        if (length.isNegative() || length.isZero()) {
            throw new IllegalArgumentException("period must be positive, was '" + period + "'");
        }
        return length;
    }

    /** A length in the largest unit that divides it: "hour", "24 hours", "90 minutes". */
    private static String words(long millis) {
        long[] sizes = {86_400_000L, 3_600_000L, 60_000L, 1_000L, 1L};
        String[] nouns = {"day", "hour", "minute", "second", "millisecond"};
        for (int i = 0; i < sizes.length; i++) {
            if (millis % sizes[i] == 0) {
                long count = millis / sizes[i];
                return count == 1 ? nouns[i] : count + " " + nouns[i] + "s";
            }
        }
        throw new AssertionError("every length is whole milliseconds");
    }
}
