package dev.economyengine.ledger;

import java.time.Instant;
import java.util.Objects;

/**
 * A user's balance in one currency after an accepted request. {@code version} counts the changes of
 * all of the user's balances, in every currency: 1 for the first, and exactly one more with each, so a
 * subscriber can spot a gap or a stale event.
 */
public record BalanceChange(
        String userId,
        String currency,
        long balance,
        long delta,
        String transactionId,
        String requestId,
        long version,
        Instant occurredAt) {

    public BalanceChange {
        Objects.requireNonNull(currency, "currency");
        if (balance < 0 || balance > Money.MAX_CAP) {
            throw new IllegalArgumentException("balance out of range: " + balance);
        }
        if (version < 1) {
            throw new IllegalArgumentException("version starts at 1, was " + version);
        }
    }
}
