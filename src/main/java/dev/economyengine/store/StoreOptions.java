package dev.economyengine.store;

import dev.economyengine.ledger.Economy;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How a ledger keeps time, caches balances, and which economy it runs.
 *
 * @param clock stamps each transaction's {@code createdAt}, and judges the earn limits of the embedded
 *     ledger's calls; a fixed or settable clock makes tests exact
 * @param balanceCacheTtl how long a balance read stays cached; every commit updates the cached balances
 *     of its users anyway, so this only bounds the cache's memory
 * @param economy the currencies, each with its cap and earn limits, and the default currency of the calls
 *     that name none; {@link Economy#coinsOnly()} unless set
 */
public record StoreOptions(Clock clock, Duration balanceCacheTtl, Economy economy) {
    /** The default time-to-live of a cached balance: 60 seconds. */
    public static final Duration DEFAULT_CACHE_TTL = Duration.ofSeconds(60);

    /**
     * Checks the options.
     *
     * @param clock stamps each transaction
     * @param balanceCacheTtl how long a balance read stays cached, positive
     * @param economy the economy the ledger runs
     * @throws NullPointerException if the clock, the time-to-live or the economy is null
     * @throws IllegalArgumentException unless the time-to-live is positive
     */
    public StoreOptions {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(balanceCacheTtl, "balanceCacheTtl");
        Objects.requireNonNull(economy, "economy");
        if (balanceCacheTtl.isNegative() || balanceCacheTtl.isZero()) {
            throw new IllegalArgumentException("balanceCacheTtl must be positive, was " + balanceCacheTtl);
        }
    }

    /**
     * Options for the economy of coins alone, capped at 1,000,000,000: {@link Economy#coinsOnly()}.
     *
     * @param clock stamps each transaction
     * @param balanceCacheTtl how long a balance read stays cached, positive
     */
    public StoreOptions(Clock clock, Duration balanceCacheTtl) {
        this(clock, balanceCacheTtl, Economy.coinsOnly());
    }

    /**
     * The system clock in UTC, the {@linkplain #DEFAULT_CACHE_TTL default time-to-live} and coins alone.
     *
     * @return the default options
     */
    public static StoreOptions defaults() {
        return new StoreOptions(Clock.systemUTC(), DEFAULT_CACHE_TTL);
    }

    /**
     * The same options under another economy.
     *
     * @param other the economy the ledger runs: its currencies, caps, earn limits and default currency
     * @return the options with that economy
     */
    public StoreOptions withEconomy(Economy other) {
        return new StoreOptions(clock, balanceCacheTtl, other);
    }
}
