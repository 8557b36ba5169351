package dev.economyengine.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.economyengine.http.RequestSubmitter.Write;
import dev.economyengine.ledger.Request;
import dev.economyengine.ledger.RequestType;
import dev.economyengine.wire.StrictJson;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Checks the body of an HTTP write the way the worker reads a request record, and turns it into that
 * record. Refused here (400, nothing published) is only what the worker could not answer at all, and
 * would send to its dead-letter topic: a body that is not strict UTF-8 JSON of one object, with no key
 * twice, or without a usable {@code requestId}; and what would make it another user's request: a
 * {@code userId} in the body that is not the path's, or text that UTF-8 cannot carry (a JSON escape of a
 * lone surrogate, which the worker would reject without naming the user, so that its result could not be
 * found under the user). Everything else (an amount out of range, an unknown
 * action or currency, an over-long reason) is the worker's to reject: it is published, and its REJECTED
 * result is the answer, remembered under its key as any other.
 *
 * <p>The published record is the body as sent, byte for byte, with the path's {@code userId} put first
 * when the body has none: nothing is re-encoded, so the worker judges exactly what the client wrote.
 */
final class WriteBody {
    private static final ObjectMapper JSON = JsonMapper.builder()
            // As the worker's RequestDecoder: a key given twice is ambiguous, trailing tokens are not JSON.
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final JsonFactory STRINGS = new JsonFactory();

    private WriteBody() {}

    /** A write's body, checked: a write to publish, or why not, naming the field (null: the body as a whole). */
    sealed interface Checked {
        record Valid(Write write) implements Checked {}

        record Invalid(String field, String message) implements Checked {}
    }

    static Checked check(RequestType type, String userId, byte[] body) {
        if (!Request.isValidId(userId)) {
            return new Checked.Invalid("userId", "the path's userId must be 1 to " + Request.MAX_ID_LENGTH
                    + " characters");
        }
        String text;
        try {
            text = StrictJson.text(body);
        } catch (CharacterCodingException e) {
            return new Checked.Invalid(null, "the body is not valid UTF-8");
        }
        JsonNode json;
        try {
            json = JSON.readTree(text);
        } catch (IOException e) {
            return new Checked.Invalid(null, "the body is not valid JSON: " + StrictJson.firstLine(e.getMessage()));
        }
        if (json == null || !json.isObject()) {
            return new Checked.Invalid(null, "the body must be a JSON object");
        }
        JsonNode requestId = json.get("requestId");
        if (requestId == null || requestId.isNull()) {
            return new Checked.Invalid("requestId", "requestId is missing");
        }
        if (!requestId.isTextual() || !Request.isValidId(requestId.textValue())
                || !StrictJson.isWellFormed(requestId.textValue())) {
            return new Checked.Invalid("requestId", "requestId must be a string of 1 to " + Request.MAX_ID_LENGTH
                    + " characters");
        }
        for (Map.Entry<String, JsonNode> field : json.properties()) {
            if (!StrictJson.isWellFormed(field.getKey()) || !StrictJson.isWellFormedTree(field.getValue())) {
                return new Checked.Invalid(field.getKey(), field.getKey() + " is not valid Unicode text (it"
                        + " escapes half of a surrogate pair)");
            }
        }
        JsonNode named = json.get("userId");
        if (named != null && !(named.isTextual() && named.textValue().equals(userId))) {
            return new Checked.Invalid("userId", "userId in the body must be the path's user, '" + userId
                    + "', or left out");
        }
        String record = named != null ? text : withUserId(text, userId);
        return new Checked.Valid(new Write(type, userId, requestId.textValue(),
                record.getBytes(StandardCharsets.UTF_8)));
    }

    /** The object's text with {@code "userId": ...} as its first field; it has one field at least. */
    private static String withUserId(String object, String userId) {
        int brace = object.indexOf('{');
        return "{\"userId\":" + quoted(userId) + "," + object.substring(brace + 1);
    }

    private static String quoted(String text) {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = STRINGS.createGenerator(out)) {
            json.writeString(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }




}
