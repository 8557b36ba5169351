package dev.economyengine.ledger;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * All of a user's balances, by currency, and the version of the last change to any of them; an empty
 * map and 0 for a user with no history. A currency the user never held is not in the map.
 */
public record UserBalances(String userId, Map<String, Long> balances, long version) {
    public UserBalances {
        Objects.requireNonNull(userId, "userId");
        balances = Map.copyOf(balances);
    }

    public static UserBalances empty(String userId) {
        return new UserBalances(userId, Map.of(), 0);
    }

    /** The balance in a currency: 0 if the user never held it. */
    public long balance(String currency) {
        return balances.getOrDefault(currency, 0L);
    }

    /** The balances sorted by currency code. */
    public Map<String, Long> sorted() {
        return new TreeMap<>(balances);
    }
}
