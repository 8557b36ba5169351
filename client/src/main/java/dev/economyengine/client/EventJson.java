package dev.economyengine.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The worker's result and balance-changed events, read from and written to JSON by hand: jackson-databind
 * alone has no {@link Instant}, and the client may depend on nothing more. Unknown fields are ignored, so
 * that the worker may add fields before its clients know them.
 */
final class EventJson {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private EventJson() {
    }

    static Result result(byte[] value) throws IOException {
        JsonNode event = object(value);
        JsonNode metadata = event.get("metadata");
        return new Result(text(event, "requestId"), text(event, "userId"), text(event, "type"),
                text(event, "status"), text(event, "code"), nullableLong(event, "amount"), text(event, "currency"),
                event.path("balance").asLong(), text(event, "transactionId"), event.path("duplicate").asBoolean(),
                instant(event, "processedAt"), text(event, "message"), instant(event, "nextAllowedAt"),
                metadata == null || metadata.isNull() ? null : metadata);
    }

    static BalanceChange balanceChange(byte[] value) throws IOException {
        JsonNode event = object(value);
        return new BalanceChange(text(event, "userId"), text(event, "currency"), event.path("balance").asLong(),
                event.path("delta").asLong(), text(event, "transactionId"), text(event, "requestId"),
                event.path("version").asLong(), instant(event, "occurredAt"));
    }

    static String write(Result result) {
        ObjectNode event = JSON.createObjectNode();
        event.put("requestId", result.requestId());
        event.put("userId", result.userId());
        event.put("type", result.type());
        event.put("status", result.status());
        event.put("code", result.code());
        event.put("amount", result.amount());
        event.put("currency", result.currency());
        event.put("balance", result.balance());
        event.put("transactionId", result.transactionId());
        event.put("duplicate", result.duplicate());
        event.put("processedAt", timestamp(result.processedAt()));
        event.put("message", result.message());
        event.put("nextAllowedAt", timestamp(result.nextAllowedAt()));
        event.set("metadata", result.metadata());
        try {
            return JSON.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of JSON nodes could not be written", e);
        }
    }

    private static JsonNode object(byte[] value) throws IOException {
        JsonNode event = value == null ? null : JSON.readTree(value);
        if (event == null || !event.isObject()) {
            throw new IOException("not a JSON object");
        }
        return event;
    }

    private static String text(JsonNode event, String field) {
        JsonNode node = event.get(field);
        return node == null || node.isNull() ? null : node.asText();
    }

    private static Long nullableLong(JsonNode event, String field) {
        JsonNode node = event.get(field);
        return node == null || node.isNull() ? null : node.asLong();
    }

    private static Instant instant(JsonNode event, String field) {
        String text = text(event, field);
        return text == null ? null : Instant.parse(text);
    }

    private static String timestamp(Instant instant) {
        return instant == null ? null : TIMESTAMP.format(instant);
    }
}
