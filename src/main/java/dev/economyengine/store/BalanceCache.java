package dev.economyengine.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.economyengine.ledger.UserBalance;
import java.time.Duration;
import java.util.function.Function;

/**
 * Balances by user, on Caffeine. Every committed batch writes its new balances through, after the
 * commit: a load racing that write is finished first (Caffeine serialises work on one key), so a read
 * after a result is never older than that result.
 */
final class BalanceCache {
    private final Cache<String, UserBalance> balances;

    BalanceCache(Duration timeToLive, Ticker ticker) {
        this.balances = Caffeine.newBuilder()
                .expireAfterWrite(timeToLive)
                .maximumSize(1_000_000)
                .ticker(ticker)
                .recordStats()
                .build();
    }

    UserBalance get(String userId, Function<String, UserBalance> loader) {
        return balances.get(userId, loader);
    }

    UserBalance getIfPresent(String userId) {
        return balances.getIfPresent(userId);
    }

    void committed(UserBalance balance) {
        balances.put(balance.userId(), balance);
    }

    void invalidateAll() {
        balances.invalidateAll();
    }

    double hitRate() {
        return balances.stats().hitRate();
    }
}
