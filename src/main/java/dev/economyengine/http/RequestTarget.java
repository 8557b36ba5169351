package dev.economyengine.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A request's path segments and query parameters, percent-decoded strictly: a {@code %} not followed
 * by two hex digits, or bytes that are not UTF-8, make the whole target malformed. The path is split on
 * {@code /} before decoding, so an id may contain an encoded slash ({@code %2F}).
 *
 * @param rawPathAndQuery the target as sent, for a redirect to the same resource elsewhere
 */
record RequestTarget(List<String> segments, Map<String, String> query, String rawPathAndQuery) {
    RequestTarget {
        segments = List.copyOf(segments);
        query = Map.copyOf(query);
    }

    /** @throws MalformedTargetException for bad percent-encoding, or a path that is not absolute */
    static RequestTarget parse(String rawPath, String rawQuery) {
        if (rawPath == null || !rawPath.startsWith("/")) {
            throw new MalformedTargetException("the path must start with '/'");
        }
        List<String> segments = new ArrayList<>();
        for (String raw : rawPath.substring(1).split("/", -1)) {
            segments.add(decode(raw, false));
        }
        Map<String, String> query = new HashMap<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int equals = pair.indexOf('=');
                String name = decode(equals < 0 ? pair : pair.substring(0, equals), true);
                String value = equals < 0 ? "" : decode(pair.substring(equals + 1), true);
                // The first of a repeated parameter counts, as most servers do.
                query.putIfAbsent(name, value);
            }
        }
        String pathAndQuery = rawQuery == null ? rawPath : rawPath + "?" + rawQuery;
        return new RequestTarget(segments, query, pathAndQuery);
    }

    Optional<String> parameter(String name) {
        return Optional.ofNullable(query.get(name));
    }

    /** Whether the path is exactly these literal segments. */
    boolean is(String... literal) {
        return segments.equals(List.of(literal));
    }

    private static String decode(String raw, boolean plusIsSpace) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    throw new MalformedTargetException("'%' must be followed by two hex digits");
                }
                int high = Character.digit(raw.charAt(i + 1), 16);
                int low = Character.digit(raw.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    throw new MalformedTargetException("'%" + raw.charAt(i + 1) + raw.charAt(i + 2)
                            + "' is not a percent-encoded byte");
                }
                bytes.write(high << 4 | low);
                i += 2;
            } else if (c == '+' && plusIsSpace) {
                bytes.write(' ');
            } else if (c > 0x7f) {
                throw new MalformedTargetException("the URL contains a character that is not percent-encoded");
            } else {
                bytes.write(c);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new MalformedTargetException("a percent-encoded value is not UTF-8");
        }
    }

    /** The target cannot be decoded: a client error (400). */
    static final class MalformedTargetException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        MalformedTargetException(String message) {
            super(message);
        }
    }
}
