package dev.economyengine.client;

import java.util.Map;
import java.util.UUID;

/**
 * A spend request: the worker debits {@code amount} of {@code currency}, or rejects it (for example with
 * {@code INSUFFICIENT_BALANCE}).
 *
 * @param requestId with the userId, the idempotency key: the same request sent again is answered with
 *     its original result; 1 to 128 characters
 * @param userId the user debited; 1 to 128 characters
 * @param amount whole units of the currency, at least 1
 * @param currency a currency of the economy file; {@code null} for the economy's default currency
 * @param reason shown in the user's history, such as {@code "sku:sword"}; {@code null} for none
 * @param metadata carried into the result as is, a JSON object of at most 4096 bytes; {@code null} for none
 */
public record SpendRequest(String requestId, String userId, long amount, String currency, String reason,
        Map<String, ?> metadata) {
    public SpendRequest {
        Requests.checkIdentity(requestId, userId);
        if (amount < 1) {
            throw new IllegalArgumentException("amount must be at least 1, was " + amount);
        }
        metadata = Requests.copyOf(metadata);
    }

    /** A spend with a new request id (a random UUID), no reason and no metadata. */
    public static SpendRequest of(String userId, long amount, String currency) {
        return new SpendRequest(UUID.randomUUID().toString(), userId, amount, currency, null, null);
    }
}
