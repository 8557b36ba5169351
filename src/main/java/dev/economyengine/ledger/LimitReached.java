package dev.economyengine.ledger;

import java.time.Instant;
import java.util.Objects;

/**
 * Why an earn did not pass its limits: the limit that holds it back the longest, in words ("daily_login:
 * 1 per calendar day"), and the earliest record timestamp at which the same earn would pass every limit
 * it failed; null when one of them never lets it pass (a lifetime limit).
 */
public record LimitReached(String limit, Instant nextAllowedAt) {
    public LimitReached {
        Objects.requireNonNull(limit, "limit");
    }

    /** Of two refusals, the one that holds the earn back longer: "never" beats any time. */
    public static LimitReached later(LimitReached a, LimitReached b) {
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        if (a.nextAllowedAt == null || b.nextAllowedAt == null) {
            return a.nextAllowedAt == null ? a : b;
        }
        return b.nextAllowedAt.isAfter(a.nextAllowedAt) ? b : a;
    }
}
