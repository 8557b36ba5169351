package dev.economyengine.client;

import java.time.Instant;

/**
 * A change of one user's balance in one currency, by an accepted request: the worker's balance-changed
 * event, field for field.
 *
 * @param userId whose balance changed
 * @param currency the currency of {@code balance} and {@code delta}
 * @param balance the balance after the change
 * @param delta what the request added (negative for a spend)
 * @param transactionId the ledger transaction, {@code "<shard>-<sequence>"}
 * @param requestId the request that made the change
 * @param version counts the changes of all of the user's balances: exactly one more with each, so a
 *     gap or a stale event shows
 * @param occurredAt when the request was decided
 */
public record BalanceChange(String userId, String currency, long balance, long delta, String transactionId,
        String requestId, long version, Instant occurredAt) {
}
