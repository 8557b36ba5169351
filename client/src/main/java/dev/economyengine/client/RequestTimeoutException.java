package dev.economyengine.client;

import java.time.Duration;

/**
 * No answer came to a request before the client's deadline, though it was sent again, with the same
 * request id, after every attempt timeout. The request may still have been applied, or be applied
 * later: its request id tells. Look it up at {@code GET /v1/users/{userId}/requests/{requestId}}, or send
 * it again with the same id, which the worker answers with its original result.
 */
public final class RequestTimeoutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String requestId;
    private final String userId;

    RequestTimeoutException(String requestId, String userId, Duration deadline, int attempts, Throwable lastError) {
        super("no answer to request '" + requestId + "' of user '" + userId + "' within " + deadline + " ("
                + attempts + (attempts == 1 ? " attempt" : " attempts") + "); it may yet be applied: look it up at GET /v1/users/"
                + userId + "/requests/" + requestId + " or send it again with the same requestId", lastError);
        this.requestId = requestId;
        this.userId = userId;
    }

    /** The id of the request that got no answer. */
    public String requestId() {
        return requestId;
    }

    /** The user of the request that got no answer. */
    public String userId() {
        return userId;
    }
}
