package dev.economyengine.ledger;

import java.time.Instant;
import java.util.Objects;

/**
 * The answer to one request, as stored under its idempotency key and published as a result event.
 * A request seen again is answered with the stored result, verbatim but for {@code duplicate}.
 *
 * @param amount the amount moved, or asked for when rejected; null when the request named no valid amount
 * @param currency the currency the request was decided in; null when it named no usable action or currency
 * @param balance the user's balance in {@code currency} after the request: unchanged when rejected, 0 when
 *     there is no user or no currency
 * @param transactionId null when rejected
 * @param message a human-readable reason when rejected, null when accepted
 * @param nextAllowedAt with {@link ResultCode#LIMIT_REACHED}: the earliest record timestamp at which the same
 *     earn would pass the limit; null for a lifetime limit and for every other code
 */
public record Result(
        String requestId,
        String userId,
        RequestType type,
        Status status,
        ResultCode code,
        Long amount,
        String currency,
        long balance,
        String transactionId,
        String message,
        String metadataJson,
        Instant nextAllowedAt,
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
        if (accepted && (transactionId == null || amount == null || currency == null)) {
            throw new IllegalArgumentException("an accepted result names its transaction, amount and currency");
        }
        if (!accepted && (transactionId != null || message == null)) {
            throw new IllegalArgumentException("a rejected result has a message and no transaction");
        }
    }

    public static Result accepted(Request request, String currency, long amount, long balance, String transactionId,
            Instant at) {
        return new Result(request.requestId(), request.userId(), request.type(), Status.ACCEPTED, ResultCode.OK,
                amount, currency, balance, transactionId, null, request.metadataJson(), null, at, false);
    }

    public static Result rejected(Request request, String currency, ResultCode code, String message, Long amount,
            long balance, Instant nextAllowedAt, Instant at) {
        return new Result(request.requestId(), request.userId(), request.type(), Status.REJECTED, code,
                amount, currency, balance, null, message, request.metadataJson(), nextAllowedAt, at, false);
    }

    public boolean isAccepted() {
        return status == Status.ACCEPTED;
    }

    /** The same result, marked as the answer to a request that had been seen before. */
    public Result asDuplicate() {
        return new Result(requestId, userId, type, status, code, amount, currency, balance, transactionId, message,
                metadataJson, nextAllowedAt, processedAt, true);
    }
}
