package dev.economyengine.ledger;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What one user's accepted earns of one subject (an action, counted; or a currency, summed) used of the
 * subject's limits: never the user's history, only what the limits can still see, so that a check costs
 * the same however long the history. Immutable; times are epoch milliseconds.
 *
 * <ul>
 *   <li>the total ever, for lifetime limits;
 *   <li>for each calendar unit of the limits, the start of the unit of the latest earn and the total in it
 *       (an earn of an earlier unit cannot come: see below);
 *   <li>for rolling limits, the time and weight of each earn of the longest rolling window, pruned as
 *       earns come: with a limit of N earns, at most N of them are ever in it.
 * </ul>
 *
 * <p>An earn is judged at its time t, but never before the latest earn of the subject: record timestamps
 * of different producers disagree a little, and an old timestamp must not let an earn slip past a limit.
 * The same earns in the same order, judged at the same times, always leave the same usage, however they
 * are split into batches; so a shard rebuilt from the changelog decides as the original did.
 */
public final class LimitUsage {
    /** No earn yet. */
    public static final LimitUsage NONE = new LimitUsage(Long.MIN_VALUE, 0, unitsWithNoEarn(), new long[4],
            new long[0], new long[0]);

    private final long lastAt;
    private final long lifetime;
    /** By {@link CalendarUnit#ordinal()}: the start of the unit of the latest earn; Long.MIN_VALUE for none. */
    private final long[] unitStarts;
    private final long[] unitTotals;
    /** Earns of the longest rolling window, oldest first; no two at the same time. */
    private final long[] rollingTimes;
    private final long[] rollingWeights;

    private LimitUsage(long lastAt, long lifetime, long[] unitStarts, long[] unitTotals, long[] rollingTimes,
            long[] rollingWeights) {
        this.lastAt = lastAt;
        this.lifetime = lifetime;
        this.unitStarts = unitStarts;
        this.unitTotals = unitTotals;
        this.rollingTimes = rollingTimes;
        this.rollingWeights = rollingWeights;
    }

    /**
     * Usage as stored: the latest earn's time (Long.MIN_VALUE for none), the lifetime total, the calendar
     * units' starts and totals (by {@link CalendarUnit#ordinal()}; Long.MIN_VALUE for a unit without
     * earns), and the rolling window's earns, oldest first.
     */
    public static LimitUsage of(long lastAt, long lifetime, long[] unitStarts, long[] unitTotals, long[] rollingTimes,
            long[] rollingWeights) {
        if (unitStarts.length != CalendarUnit.values().length || unitTotals.length != unitStarts.length
                || rollingTimes.length != rollingWeights.length) {
            throw new IllegalArgumentException("usage arrays of the wrong lengths");
        }
        for (int i = 1; i < rollingTimes.length; i++) {
            if (rollingTimes[i] <= rollingTimes[i - 1]) {
                throw new IllegalArgumentException("rolling earns out of order");
            }
        }
        return new LimitUsage(lastAt, lifetime, unitStarts.clone(), unitTotals.clone(), rollingTimes.clone(),
                rollingWeights.clone());
    }

    /**
     * Whether an earn of {@code weight} (1 for an action's count, the amount for a currency's) at time
     * {@code at} stays within every one of {@code limits}; if not, the limit that holds it back longest.
     *
     * @param subject the action or currency the limits belong to, for the refusal's words
     */
    public Optional<LimitReached> check(String subject, List<? extends Limit> limits, long at, long weight) {
        long t = Math.max(at, lastAt);
        LimitReached worst = null;
        for (Limit limit : limits) {
            if (used(limit, t) + weight > limit.max()) {
                OptionalLong next = nextAllowed(limit, t, weight);
                worst = LimitReached.later(worst, new LimitReached(limit.describe(subject),
                        next.isPresent() ? Instant.ofEpochMilli(next.getAsLong()) : null));
            }
        }
        return Optional.ofNullable(worst);
    }

    /** The usage after an accepted earn of {@code weight} at {@code at}, keeping what {@code limits} need. */
    public LimitUsage recorded(List<? extends Limit> limits, long at, long weight) {
        long t = Math.max(at, lastAt);
        long[] starts = unitsWithNoEarn();
        long[] totals = new long[starts.length];
        long longestRolling = 0;
        for (Limit limit : limits) {
            if (limit.window() instanceof Window.Calendar calendar) {
                int unit = calendar.unit().ordinal();
                long start = calendar.unit().start(t);
                starts[unit] = start;
                totals[unit] = (unitStarts[unit] == start ? unitTotals[unit] : 0) + weight;
            } else if (limit.window() instanceof Window.Rolling rolling) {
                longestRolling = Math.max(longestRolling, rolling.lengthMillis());
            }
        }
        long[][] rolling = longestRolling == 0 ? new long[][] {new long[0], new long[0]}
                : rollingAfter(t, weight, t - longestRolling);
        return new LimitUsage(t, Math.addExact(lifetime, weight), starts, totals, rolling[0], rolling[1]);
    }

    /** The rolling earns with this one added, keeping only those after {@code oldestKept}. */
    private long[][] rollingAfter(long t, long weight, long oldestKept) {
        int first = 0;
        while (first < rollingTimes.length && rollingTimes[first] <= oldestKept) {
            first++;
        }
        boolean sameTime = rollingTimes.length > first && rollingTimes[rollingTimes.length - 1] == t;
        int size = rollingTimes.length - first + (sameTime ? 0 : 1);
        long[] times = Arrays.copyOfRange(rollingTimes, first, first + size);
        long[] weights = Arrays.copyOfRange(rollingWeights, first, first + size);
        times[size - 1] = t;
        weights[size - 1] = sameTime ? Math.addExact(weights[size - 1], weight) : weight;
        return new long[][] {times, weights};
    }

    /** What the earns the limit sees at time {@code at} (or at the latest earn, if later) add up to. */
    public long used(Limit limit, long at) {
        long t = Math.max(at, lastAt);
        Window window = limit.window();
        if (window instanceof Window.Calendar calendar) {
            int unit = calendar.unit().ordinal();
            return unitStarts[unit] == calendar.unit().start(t) ? unitTotals[unit] : 0;
        }
        if (window instanceof Window.Rolling rolling) {
            long from = t - rolling.lengthMillis();
            long sum = 0;
            for (int i = rollingTimes.length - 1; i >= 0 && rollingTimes[i] > from; i--) {
                sum += rollingWeights[i];
            }
            return sum;
        }
        return lifetime;
    }

    /**
     * When what the limit sees at {@code at} next shrinks: the next calendar unit's start, or the time the
     * oldest earn in the rolling window leaves it; empty for a lifetime limit, and when nothing is used.
     */
    public OptionalLong resetsAt(Limit limit, long at) {
        long t = Math.max(at, lastAt);
        Window window = limit.window();
        if (window instanceof Window.Calendar calendar) {
            return OptionalLong.of(calendar.unit().next(calendar.unit().start(t)));
        }
        if (window instanceof Window.Rolling rolling) {
            long from = t - rolling.lengthMillis();
            for (int i = 0; i < rollingTimes.length; i++) {
                if (rollingTimes[i] > from) {
                    return OptionalLong.of(rollingTimes[i] + rolling.lengthMillis());
                }
            }
        }
        return OptionalLong.empty();
    }

    /**
     * The earliest time from which an earn of {@code weight} passes the limit, on this usage; empty if it
     * never does (a lifetime limit, or an earn larger than the limit itself).
     */
    private OptionalLong nextAllowed(Limit limit, long t, long weight) {
        if (weight > limit.max()) {
            return OptionalLong.empty();
        }
        Window window = limit.window();
        if (window instanceof Window.Calendar calendar) {
            // The next unit starts with nothing used.
            return OptionalLong.of(calendar.unit().next(calendar.unit().start(t)));
        }
        if (window instanceof Window.Rolling rolling) {
            long length = rolling.lengthMillis();
            long from = t - length;
            long excess = used(limit, t) + weight - limit.max();
            for (int i = 0; i < rollingTimes.length; i++) {
                if (rollingTimes[i] <= from) {
                    continue;
                }
                // The window (T - length, T] no longer holds this earn once T reaches its time + length.
                excess -= rollingWeights[i];
                if (excess <= 0) {
                    return OptionalLong.of(rollingTimes[i] + length);
                }
            }
        }
        return OptionalLong.empty();
    }

    /** The time of the latest earn judged; Long.MIN_VALUE for none. */
    public long lastAt() {
        return lastAt;
    }

    public long lifetime() {
        return lifetime;
    }

    /** The start of the unit of the latest earn, for a unit the limits count; Long.MIN_VALUE for none. */
    public long unitStart(CalendarUnit unit) {
        return unitStarts[unit.ordinal()];
    }

    public long unitTotal(CalendarUnit unit) {
        return unitTotals[unit.ordinal()];
    }

    public long[] rollingTimes() {
        return rollingTimes.clone();
    }

    public long[] rollingWeights() {
        return rollingWeights.clone();
    }

    private static long[] unitsWithNoEarn() {
        long[] starts = new long[CalendarUnit.values().length];
        Arrays.fill(starts, Long.MIN_VALUE);
        return starts;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LimitUsage that && lastAt == that.lastAt && lifetime == that.lifetime
                && Arrays.equals(unitStarts, that.unitStarts) && Arrays.equals(unitTotals, that.unitTotals)
                && Arrays.equals(rollingTimes, that.rollingTimes) && Arrays.equals(rollingWeights, that.rollingWeights);
    }

    @Override
    public int hashCode() {
        return Objects.hash(lastAt, lifetime, Arrays.hashCode(unitStarts), Arrays.hashCode(unitTotals),
                Arrays.hashCode(rollingTimes), Arrays.hashCode(rollingWeights));
    }

    @Override
    public String toString() {
        return "LimitUsage[lastAt=" + lastAt + ", lifetime=" + lifetime + ", unitStarts=" + Arrays.toString(unitStarts)
                + ", unitTotals=" + Arrays.toString(unitTotals) + ", rolling=" + Arrays.toString(rollingTimes) + "/"
                + Arrays.toString(rollingWeights) + "]";
    }
}
