package dev.economyengine.store;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/** How a shard store keeps time and caches balances. */
public record StoreOptions(Clock clock, Duration balanceCacheTtl) {
    public static final Duration DEFAULT_CACHE_TTL = Duration.ofSeconds(60);

    public StoreOptions {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(balanceCacheTtl, "balanceCacheTtl");
        if (balanceCacheTtl.isNegative() || balanceCacheTtl.isZero()) {
            throw new IllegalArgumentException("balanceCacheTtl must be positive, was " + balanceCacheTtl);
        }
    }

    public static StoreOptions defaults() {
        return new StoreOptions(Clock.systemUTC(), DEFAULT_CACHE_TTL);
    }
}
