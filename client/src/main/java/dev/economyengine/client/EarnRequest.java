package dev.economyengine.client;

import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * An earn request: the worker credits what the economy's rule for {@code action} pays.
 *
 * @param requestId with the userId, the idempotency key: the same request sent again is answered with
 *     its original result; 1 to 128 characters
 * @param userId the user credited; 1 to 128 characters
 * @param action an earning rule of the economy file
 * @param reason shown in the user's history; {@code null} for the action
 * @param metadata carried into the result as is, a JSON object of at most 4096 bytes; {@code null} for none
 */
public record EarnRequest(String requestId, String userId, String action, String reason, Map<String, ?> metadata) {
    public EarnRequest {
        Requests.checkIdentity(requestId, userId);
        Objects.requireNonNull(action, "action");
        if (action.isEmpty()) {
            throw new IllegalArgumentException("action must not be empty");
        }
        metadata = Requests.copyOf(metadata);
    }

    /** An earn with a new request id (a random UUID), no reason of its own and no metadata. */
    public static EarnRequest of(String userId, String action) {
        return new EarnRequest(UUID.randomUUID().toString(), userId, action, null, null);
    }
}
