package dev.economyengine.store;

import dev.economyengine.ledger.CalendarUnit;
import dev.economyengine.ledger.LimitUsage;
import java.util.Arrays;

/**
 * A {@link LimitUsage} as the text of a {@code limit_usage} row, such as
 * {@code last=1764000000000;life=3;D=1763942400000:1;R=1763990000000:1,1764000000000:1}: the latest
 * earn's time, the lifetime total, each counted calendar unit's start and total (H, D, W, M), and the
 * rolling window's earns, oldest first. The same usage always has the same text: the state hash
 * covers it.
 */
final class LimitUsageCodec {
    private static final String[] UNITS = {"H", "D", "W", "M"};

    private LimitUsageCodec() {}

    static String encode(LimitUsage usage) {
        StringBuilder text = new StringBuilder(48);
        text.append("last=").append(usage.lastAt()).append(";life=").append(usage.lifetime());
        for (CalendarUnit unit : CalendarUnit.values()) {
            if (usage.unitStart(unit) != Long.MIN_VALUE) {
                text.append(';').append(UNITS[unit.ordinal()]).append('=').append(usage.unitStart(unit)).append(':')
                        .append(usage.unitTotal(unit));
            }
        }
        long[] times = usage.rollingTimes();
        long[] weights = usage.rollingWeights();
        if (times.length > 0) {
            text.append(";R=");
            for (int i = 0; i < times.length; i++) {
                text.append(i == 0 ? "" : ",").append(times[i]).append(':').append(weights[i]);
            }
        }
        return text.toString();
    }

    static LimitUsage decode(String text) {
        long lastAt = Long.MIN_VALUE;
        long lifetime = 0;
        long[] starts = new long[UNITS.length];
        long[] totals = new long[UNITS.length];
        Arrays.fill(starts, Long.MIN_VALUE);
        long[] times = new long[0];
        long[] weights = new long[0];
        try {
            for (String field : text.split(";")) {
                int equals = field.indexOf('=');
                String name = field.substring(0, equals);
                String value = field.substring(equals + 1);
                switch (name) {
                    case "last" -> lastAt = Long.parseLong(value);
                    case "life" -> lifetime = Long.parseLong(value);
                    case "R" -> {
                        String[] earns = value.split(",");
                        times = new long[earns.length];
                        weights = new long[earns.length];
                        for (int i = 0; i < earns.length; i++) {
                            int colon = earns[i].indexOf(':');
                            times[i] = Long.parseLong(earns[i].substring(0, colon));
                            weights[i] = Long.parseLong(earns[i].substring(colon + 1));
                        }
                    }
                    default -> {
                        int unit = Arrays.asList(UNITS).indexOf(name);
                        int colon = value.indexOf(':');
                        starts[unit] = Long.parseLong(value.substring(0, colon));
                        totals[unit] = Long.parseLong(value.substring(colon + 1));
                    }
                }
            }
            return LimitUsage.of(lastAt, lifetime, starts, totals, times, weights);
        } catch (RuntimeException e) {
            throw new StoreException("a limit usage row is damaged ('" + text + "'): run verify", e);
        }
    }
}
