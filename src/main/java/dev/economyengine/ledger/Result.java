package dev.economyengine.ledger;

import java.time.Instant;
import java.util.Objects;

/**
 * The answer to one request, as stored under its idempotency key and published as a result event.
 * A request seen again is answered with the stored result, verbatim but for {@code duplicate}.
 *
 * @param amount the coins moved, or asked for when rejected; null when the request named no valid amount
 * @param balance the user's balance after the request: unchanged when rejected, 0 when there is no user
 * @param transactionId null when rejected
 * @param message a human-readable reason when rejected, null when accepted
 */
public record Result(
        String requestId,
        String userId,
        RequestType type,
        Status status,
        ResultCode code,
        Long amount,
        long balance,
        String transactionId,
        String message,
        String metadataJson,
        Instant processedAt,
        boolean duplicate) {

    public Result {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(processedAt, "processedAt");
        boolean accepted = status == Status.ACCEPTED;
        if (accepted != (code == ResultCode.OK)) {
            throw new IllegalArgumentException("status " + status + " does not go with code " + code);
        }
        if (accepted && (transactionId == null || amount == null)) {
            throw new IllegalArgumentException("an accepted result names its transaction and amount");
        }
        if (!accepted && (transactionId != null || message == null)) {
            throw new IllegalArgumentException("a rejected result has a message and no transaction");
        }
    }

    public static Result accepted(Request request, long amount, long balance, String transactionId, Instant at) {
        return new Result(request.requestId(), request.userId(), request.type(), Status.ACCEPTED, ResultCode.OK,
                amount, balance, transactionId, null, request.metadataJson(), at, false);
    }

    public static Result rejected(
            Request request, ResultCode code, String message, Long amount, long balance, Instant at) {
        return new Result(request.requestId(), request.userId(), request.type(), Status.REJECTED, code,
                amount, balance, null, message, request.metadataJson(), at, false);
    }

    public boolean isAccepted() {
        return status == Status.ACCEPTED;
    }

    /** The same result, marked as the answer to a request that had been seen before. */
    public Result asDuplicate() {
        return new Result(requestId, userId, type, status, code, amount, balance, transactionId, message,
                metadataJson, processedAt, true);
    }
}
