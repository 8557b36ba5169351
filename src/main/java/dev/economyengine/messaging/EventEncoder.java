package dev.economyengine.messaging;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.economyengine.ledger.BalanceChange;
import dev.economyengine.ledger.Entry;
import dev.economyengine.ledger.Result;
import dev.economyengine.ledger.Transaction;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Writes result and balance-changed events as JSON, every field always present (null where it does
 * not apply), timestamps as ISO-8601 UTC strings with milliseconds.
 */
public final class EventEncoder {
    private static final JsonFactory JSON = new JsonFactory();
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    public byte[] result(Result result) {
        return write(json -> {
            json.writeStringField("requestId", result.requestId());
            json.writeStringField("userId", result.userId());
            json.writeStringField("type", result.type().name());
            json.writeStringField("status", result.status().name());
            json.writeStringField("code", result.code().name());
            writeNullableLong(json, "amount", result.amount());
            json.writeNumberField("balance", result.balance());
            json.writeStringField("transactionId", result.transactionId());
            json.writeBooleanField("duplicate", result.duplicate());
            json.writeStringField("processedAt", timestamp(result.processedAt()));
            json.writeStringField("message", result.message());
            json.writeFieldName("metadata");
            if (result.metadataJson() == null) {
                json.writeNull();
            } else {
                // Already validated JSON, carried through byte for byte.
                json.writeRawValue(result.metadataJson());
            }
        });
    }

    public byte[] balanceChange(BalanceChange change) {
        return write(json -> {
            json.writeStringField("userId", change.userId());
            json.writeNumberField("balance", change.balance());
            json.writeNumberField("delta", change.delta());
            json.writeStringField("transactionId", change.transactionId());
            json.writeStringField("requestId", change.requestId());
            json.writeNumberField("version", change.version());
            json.writeStringField("occurredAt", timestamp(change.occurredAt()));
        });
    }

    /** A timestamp as every document of the contract writes it: ISO-8601 UTC with milliseconds. */
    public static String timestamp(Instant instant) {
        return TIMESTAMP.format(instant);
    }

    /**
     * A ledger transaction as the query API and the export show it: {@code {"transactionId",
     * ["userId",] "requestId","type","amount","reason","createdAt","entries":[{"account","debit","credit"}]}}.
     */
    public static void writeTransaction(JsonGenerator json, Transaction transaction, boolean withUserId)
            throws IOException {
        json.writeStartObject();
        json.writeStringField("transactionId", transaction.transactionId());
        if (withUserId) {
            json.writeStringField("userId", transaction.userId());
        }
        json.writeStringField("requestId", transaction.requestId());
        json.writeStringField("type", transaction.type().name());
        json.writeNumberField("amount", transaction.amount());
        json.writeStringField("reason", transaction.reason());
        json.writeStringField("createdAt", timestamp(transaction.createdAt()));
        json.writeArrayFieldStart("entries");
        for (Entry entry : transaction.entries()) {
            json.writeStartObject();
            json.writeStringField("account", entry.account());
            json.writeNumberField("debit", entry.debit());
            json.writeNumberField("credit", entry.credit());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    private static void writeNullableLong(JsonGenerator json, String field, Long value) throws IOException {
        if (value == null) {
            json.writeNullField(field);
        } else {
            json.writeNumberField(field, value);
        }
    }

    private static byte[] write(Fields fields) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (JsonGenerator json = JSON.createGenerator(bytes)) {
            json.writeStartObject();
            fields.write(json);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode event", e);
        }
        return bytes.toByteArray();
    }

    @FunctionalInterface
    private interface Fields {
        void write(JsonGenerator json) throws IOException;
    }
}
