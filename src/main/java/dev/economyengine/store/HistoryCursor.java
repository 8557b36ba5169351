package dev.economyengine.store;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The opaque cursor of a history page: the user it belongs to and the sequence number of the last
 * transaction returned. Pages are keyed by sequence, not by offset, so new transactions (which get
 * higher numbers) never shift an older page.
 */
final class HistoryCursor {
    private static final String VERSION = "h1";

    private HistoryCursor() {}

    static String encode(String userId, long lastSequence) {
        String plain = VERSION + ":" + lastSequence + ":" + userId;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /** The sequence to continue below; throws {@link InvalidCursorException} for a foreign or broken cursor. */
    static long decode(String cursor, String userId) {
        String plain;
        try {
            plain = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new InvalidCursorException("cursor is malformed");
        }
        String[] parts = plain.split(":", 3);
        if (parts.length != 3 || !parts[0].equals(VERSION)) {
            throw new InvalidCursorException("cursor is malformed");
        }
        if (!parts[2].equals(userId)) {
            throw new InvalidCursorException("cursor belongs to another user");
        }
        try {
            long sequence = Long.parseLong(parts[1]);
            if (sequence < 1) {
                throw new InvalidCursorException("cursor is malformed");
            }
            return sequence;
        } catch (NumberFormatException e) {
            throw new InvalidCursorException("cursor is malformed");
        }
    }
}
