package dev.economyengine.wire;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * How a request's bytes are read as JSON text, strictly: in one place, so that the worker's decoder and
 * the HTTP writes, which must refuse exactly what the worker could not read, cannot drift apart.
 */
public final class StrictJson {
    private StrictJson() {}

    /**
     * The bytes as UTF-8 text, refusing malformed UTF-8 rather than replacing it; a leading byte order
     * mark is dropped, as Jackson drops it from bytes.
     */
    public static String text(byte[] bytes) throws CharacterCodingException {
        String text = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    /** False when the text holds a surrogate without its pair (a JSON escape can spell one). */
    public static boolean isWellFormed(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /** Whether every name and text value in the tree is well formed. */
    public static boolean isWellFormedTree(JsonNode node) {
        if (node.isTextual()) {
            return isWellFormed(node.textValue());
        }
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            if (!isWellFormed(field.getKey()) || !isWellFormedTree(field.getValue())) {
                return false;
            }
        }
        if (node.isArray()) {
            for (JsonNode element : node) {
                if (!isWellFormedTree(element)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The first line of a parser's message, short enough for a result or a response. */
    public static String firstLine(String message) {
        if (message == null) {
            return "unparseable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
