package dev.economyengine.ledger;

import java.time.Instant;
import java.util.Objects;

/**
 * A readable request, keyed for idempotency by ({@link #userId()}, {@link #requestId()}).
 *
 * <p>Earning rules are resolved before a request reaches the ledger, so an {@link Earn} carries the
 * currency and amount to credit. A request that can be read but not honoured whatever the balance (a
 * bad field, an action with no rule, a currency the economy does not have) is a {@link Rejected}: it is
 * still remembered under its key, so a retry gets the same answer.
 */
public sealed interface Request permits Request.Earn, Request.Spend, Request.Rejected {
    int MAX_ID_LENGTH = 128;

    String requestId();

    /** Null only for a {@link Rejected} request that named no usable user. */
    String userId();

    RequestType type();

    /**
     * The currency the request is in. For an earn or a spend, null stands for the economy's default
     * currency; for a rejected request, null means that it named no usable action or currency.
     */
    String currency();

    /** The request's {@code metadata} object as JSON text, carried into the result; null if absent. */
    String metadataJson();

    /**
     * Credits {@code amount} of {@code currency}.
     *
     * @param action the earning rule that set the amount, whose count limits apply; null for an earn of
     *     the embedded ledger, which names its amount
     * @param recordedAt the time the earn's limits are judged at: the request record's timestamp, never
     *     the worker's clock, so that a request decided again gets the same answer; null for the time
     *     it is decided (the embedded ledger's calls)
     */
    record Earn(String requestId, String userId, String currency, long amount, String action, String reason,
            String metadataJson, Instant recordedAt) implements Request {
        public Earn {
            requireId(requestId, "requestId");
            requireId(userId, "userId");
            Money.requireValidAmountOfAnyCurrency(amount);
        }

        /** An earn of the default currency, by amount, judged at the time it is decided. */
        public Earn(String requestId, String userId, long amount, String reason, String metadataJson) {
            this(requestId, userId, null, amount, null, reason, metadataJson, null);
        }

        @Override
        public RequestType type() {
            return RequestType.EARN;
        }
    }

    record Spend(String requestId, String userId, String currency, long amount, String reason, String metadataJson)
            implements Request {
        public Spend {
            requireId(requestId, "requestId");
            requireId(userId, "userId");
            Money.requireValidAmountOfAnyCurrency(amount);
        }

        /** A spend of the default currency. */
        public Spend(String requestId, String userId, long amount, String reason, String metadataJson) {
            this(requestId, userId, null, amount, reason, metadataJson);
        }

        @Override
        public RequestType type() {
            return RequestType.SPEND;
        }
    }

    /**
     * Refused before looking at any balance; {@code amount} is what was asked for, if known, and
     * {@code currency} the currency it was asked in, if known (the result then shows the user's balance
     * in it).
     */
    record Rejected(
            String requestId,
            String userId,
            RequestType type,
            String currency,
            ResultCode code,
            String message,
            Long amount,
            String metadataJson)
            implements Request {
        public Rejected {
            requireId(requestId, "requestId");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(message, "message");
            if (code == null || code == ResultCode.OK) {
                throw new IllegalArgumentException("a rejected request needs a rejection code, was " + code);
            }
        }
    }

    /** True when {@code id} is a usable request or user id: 1 to 128 characters. */
    static boolean isValidId(String id) {
        if (id == null || id.isEmpty()) {
            return false;
        }
        return id.codePointCount(0, id.length()) <= MAX_ID_LENGTH;
    }

    private static void requireId(String id, String name) {
        if (!isValidId(id)) {
            throw new IllegalArgumentException(name + " must be 1 to " + MAX_ID_LENGTH + " characters");
        }
    }
}
