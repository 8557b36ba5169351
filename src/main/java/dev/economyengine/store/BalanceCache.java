package dev.economyengine.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.economyengine.ledger.UserBalances;
import java.time.Duration;
import java.util.function.Function;

/**
 * Every balance of a user, by user, on Caffeine. Every committed batch writes its new balances through, after the
 * commit. An entry only ever moves to a higher balance version: a load that read the database before
 * a commit cannot overwrite the commit's newer balance, so a read after a result is never older than
 * that result. Loads run outside Caffeine's per-key lock, so a loader waiting for the database never
 * holds up (or deadlocks with) a writer that is putting a balance.
 */
final class BalanceCache {
    private final Cache<String, UserBalances> balances;

    BalanceCache(Duration timeToLive, Ticker ticker) {
        this.balances = Caffeine.newBuilder()
                .expireAfterWrite(timeToLive)
                .maximumSize(1_000_000)
                .ticker(ticker)
                .recordStats()
                .build();
    }

    UserBalances get(String userId, Function<String, UserBalances> loader) {
        UserBalances cached = balances.getIfPresent(userId);
        if (cached != null) {
            return cached;
        }
        return balances.asMap().merge(userId, loader.apply(userId), BalanceCache::newer);
    }

    UserBalances getIfPresent(String userId) {
        return balances.getIfPresent(userId);
    }

    void committed(UserBalances balance) {
        balances.asMap().merge(balance.userId(), balance, BalanceCache::newer);
    }

    private static UserBalances newer(UserBalances a, UserBalances b) {
        return b.version() >= a.version() ? b : a;
    }

    void invalidateAll() {
        balances.invalidateAll();
    }

    double hitRate() {
        return balances.stats().hitRate();
    }
}
