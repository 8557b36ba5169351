package dev.economyengine.ledger;

import java.util.Objects;

/**
 * A readable request, keyed for idempotency by ({@link #userId()}, {@link #requestId()}).
 *
 * <p>Earning rules are resolved before a request reaches the ledger, so an {@link Earn} carries the
 * amount to credit. A request that can be read but not honoured whatever the balance (a bad field,
 * an action with no rule) is a {@link Rejected}: it is still remembered under its key, so a retry
 * gets the same answer.
 */
public sealed interface Request permits Request.Earn, Request.Spend, Request.Rejected {
    int MAX_ID_LENGTH = 128;

    String requestId();

    /** Null only for a {@link Rejected} request that named no usable user. */
    String userId();

    RequestType type();

    /** The request's {@code metadata} object as JSON text, carried into the result; null if absent. */
    String metadataJson();

    record Earn(String requestId, String userId, long amount, String reason, String metadataJson)
            implements Request {
        public Earn {
            requireId(requestId, "requestId");
            requireId(userId, "userId");
            Money.requireValidAmount(amount);
        }

        @Override
        public RequestType type() {
            return RequestType.EARN;
        }
    }

    record Spend(String requestId, String userId, long amount, String reason, String metadataJson)
            implements Request {
        public Spend {
            requireId(requestId, "requestId");
            requireId(userId, "userId");
            Money.requireValidAmount(amount);
        }

        @Override
        public RequestType type() {
            return RequestType.SPEND;
        }
    }

    /** Refused before looking at any balance; {@code amount} is what was asked for, if known. */
    record Rejected(
            String requestId,
            String userId,
            RequestType type,
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
