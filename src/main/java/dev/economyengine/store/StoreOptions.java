package dev.economyengine.store;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How a ledger keeps time and caches balances.
 *
 * @param clock stamps each transaction's {@code createdAt}; a fixed or settable clock makes tests exact
 * @param balanceCacheTtl how long a balance read stays cached; every commit updates the cached balances
 *     of its users anyway, so this only bounds the cache's memory
 */
public record StoreOptions(Clock clock, Duration balanceCacheTtl) {
    /** The default time-to-live of a cached balance: 60 seconds. */
    public static final Duration DEFAULT_CACHE_TTL = Duration.ofSeconds(60);

    /**
     * Checks the options.
     *
     * @param clock stamps each transaction
     * @param balanceCacheTtl how long a balance read stays cached, positive
     * @throws NullPointerException if the clock or the time-to-live is null
     * @throws IllegalArgumentException unless the time-to-live is positive
     */
    public StoreOptions {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(balanceCacheTtl, "balanceCacheTtl");
        if (balanceCacheTtl.isNegative() || balanceCacheTtl.isZero()) {
            throw new IllegalArgumentException("balanceCacheTtl must be positive, was " + balanceCacheTtl);
        }
    }

    /**
     * The system clock in UTC and the {@linkplain #DEFAULT_CACHE_TTL default time-to-live}.
     *
     * @return the default options
     */
    public static StoreOptions defaults() {
        return new StoreOptions(Clock.systemUTC(), DEFAULT_CACHE_TTL);
    }
}
