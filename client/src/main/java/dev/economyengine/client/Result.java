package dev.economyengine.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * The answer to one request: the worker's result event, field for field (see the README's "Results and
 * balance changes"). A rejection is an answer like any other ({@code status} REJECTED, {@code code} says
 * why), not an exception.
 *
 * <p>{@code duplicate} is true when the worker had seen this request before; the rest is then its
 * original answer. That includes a request this client sent again itself, after an attempt timed out.
 *
 * @param requestId the request's id
 * @param userId the request's user
 * @param type {@code EARN} or {@code SPEND}
 * @param status {@code ACCEPTED} or {@code REJECTED}
 * @param code {@code OK}, or why it was rejected ({@code INSUFFICIENT_BALANCE}, {@code LIMIT_REACHED}, ...)
 * @param amount the amount moved (asked for, when rejected); {@code null} if none was valid
 * @param currency the currency it was decided in; {@code null} when it named no usable action or currency
 * @param balance the user's balance in that currency after the request
 * @param transactionId {@code "<shard>-<sequence>"}; {@code null} when rejected
 * @param duplicate whether the worker had answered this request before
 * @param processedAt when the request was first decided
 * @param message why it was rejected; {@code null} when accepted
 * @param nextAllowedAt for an earn over a limit, when the same earn would pass; else {@code null}
 * @param metadata the request's metadata, as sent; {@code null} if none
 */
public record Result(String requestId, String userId, String type, String status, String code, Long amount,
        String currency, long balance, String transactionId, boolean duplicate, Instant processedAt,
        String message, Instant nextAllowedAt, JsonNode metadata) {

    public Result {
        metadata = metadata == null ? null : metadata.deepCopy();
    }

    /** A copy: a JSON tree can be changed, a result cannot. */
    @Override
    public JsonNode metadata() {
        return metadata == null ? null : metadata.deepCopy();
    }

    /** Whether the request was applied (or, for a duplicate, had been). */
    public boolean accepted() {
        return "ACCEPTED".equals(status);
    }

    /** The result as the worker publishes it: every field, in its order, timestamps with milliseconds. */
    public String toJson() {
        return EventJson.write(this);
    }
}
