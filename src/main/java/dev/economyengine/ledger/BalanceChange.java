package dev.economyengine.ledger;

import java.time.Instant;

/**
 * A user's balance after an accepted request. {@code version} is 1 for the user's first change and
 * grows by exactly one with every change, so a subscriber can spot a gap or a stale event.
 */
public record BalanceChange(
        String userId,
        long balance,
        long delta,
        String transactionId,
        String requestId,
        long version,
        Instant occurredAt) {

    public BalanceChange {
        if (balance < 0 || balance > Money.MAX_BALANCE) {
            throw new IllegalArgumentException("balance out of range: " + balance);
        }
        if (version < 1) {
            throw new IllegalArgumentException("version starts at 1, was " + version);
        }
    }
}
