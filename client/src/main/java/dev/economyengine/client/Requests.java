package dev.economyengine.client;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** The checks every request makes when built: what the worker could only answer with INVALID_REQUEST. */
final class Requests {
    static final int MAX_ID_LENGTH = 128;

    private Requests() {
    }

    static void checkIdentity(String requestId, String userId) {
        checkId("requestId", requestId);
        checkId("userId", userId);
    }

    /** An unchangeable copy that keeps the caller's order of fields, and JSON nulls; null for none. */
    static Map<String, ?> copyOf(Map<String, ?> metadata) {
        return metadata == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    private static void checkId(String field, String value) {
        Objects.requireNonNull(value, field);
        int length = value.codePointCount(0, value.length());
        if (length < 1 || length > MAX_ID_LENGTH) {
            throw new IllegalArgumentException(field + " must have 1 to " + MAX_ID_LENGTH + " characters, had " + length);
        }
    }
}
