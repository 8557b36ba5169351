package dev.economyengine.wire;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.economyengine.ledger.BalanceChange;
import dev.economyengine.ledger.Entry;
import dev.economyengine.ledger.Result;
import dev.economyengine.ledger.Transaction;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Writes result and balance-changed events as JSON, every field always present (null where it does
 * not apply), timestamps as ISO-8601 UTC strings with milliseconds. Thread-safe.
 *
 * <p>Field names are encoded once ({@link SerializedString}), and the last timestamp written is kept:
 * every event of a batch carries the batch's instant, so it is formatted once per batch, not twice
 * per request.
 */
public final class EventEncoder {
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final SerializableString REQUEST_ID = new SerializedString("requestId");
    private static final SerializableString USER_ID = new SerializedString("userId");
    private static final SerializableString TYPE = new SerializedString("type");
    private static final SerializableString STATUS = new SerializedString("status");
    private static final SerializableString CODE = new SerializedString("code");
    private static final SerializableString AMOUNT = new SerializedString("amount");
    private static final SerializableString BALANCE = new SerializedString("balance");
    private static final SerializableString TRANSACTION_ID = new SerializedString("transactionId");
    private static final SerializableString DUPLICATE = new SerializedString("duplicate");
    private static final SerializableString PROCESSED_AT = new SerializedString("processedAt");
    private static final SerializableString MESSAGE = new SerializedString("message");
    private static final SerializableString METADATA = new SerializedString("metadata");
    private static final SerializableString DELTA = new SerializedString("delta");
    private static final SerializableString VERSION = new SerializedString("version");
    private static final SerializableString OCCURRED_AT = new SerializedString("occurredAt");
    private static final SerializableString CURRENCY = new SerializedString("currency");
    private static final SerializableString NEXT_ALLOWED_AT = new SerializedString("nextAllowedAt");

    /** Replaced whole, never changed: threads racing on it at worst format the same instant twice. */
    private volatile Timestamp lastTimestamp = Timestamp.of(Instant.EPOCH);

    public byte[] result(Result result) {
        SerializableString processedAt = cachedTimestamp(result.processedAt());
        return JsonRecordWriter.forThisThread().write(json -> {
            field(json, REQUEST_ID, result.requestId());
            field(json, USER_ID, result.userId());
            field(json, TYPE, result.type().name());
            field(json, STATUS, result.status().name());
            field(json, CODE, result.code().name());
            json.writeFieldName(AMOUNT);
            writeNullableLong(json, result.amount());
            field(json, CURRENCY, result.currency());
            json.writeFieldName(BALANCE);
            json.writeNumber(result.balance());
            field(json, TRANSACTION_ID, result.transactionId());
            json.writeFieldName(DUPLICATE);
            json.writeBoolean(result.duplicate());
            json.writeFieldName(PROCESSED_AT);
            json.writeString(processedAt);
            field(json, MESSAGE, result.message());
            json.writeFieldName(NEXT_ALLOWED_AT);
            if (result.nextAllowedAt() == null) {
                json.writeNull();
            } else {
                json.writeString(timestamp(result.nextAllowedAt()));
            }
            json.writeFieldName(METADATA);
            if (result.metadataJson() == null) {
                json.writeNull();
            } else {
                // Already validated JSON, carried through byte for byte.
                json.writeRawValue(result.metadataJson());
            }
        });
    }

    public byte[] balanceChange(BalanceChange change) {
        SerializableString occurredAt = cachedTimestamp(change.occurredAt());
        return JsonRecordWriter.forThisThread().write(json -> {
            field(json, USER_ID, change.userId());
            field(json, CURRENCY, change.currency());
            json.writeFieldName(BALANCE);
            json.writeNumber(change.balance());
            json.writeFieldName(DELTA);
            json.writeNumber(change.delta());
            field(json, TRANSACTION_ID, change.transactionId());
            field(json, REQUEST_ID, change.requestId());
            json.writeFieldName(VERSION);
            json.writeNumber(change.version());
            json.writeFieldName(OCCURRED_AT);
            json.writeString(occurredAt);
        });
    }

    private SerializableString cachedTimestamp(Instant instant) {
        Timestamp last = lastTimestamp;
        if (!last.instant.equals(instant)) {
            last = Timestamp.of(instant);
            lastTimestamp = last;
        }
        return last.text;
    }

    /** A timestamp as every document of the contract writes it: ISO-8601 UTC with milliseconds. */
    public static String timestamp(Instant instant) {
        return TIMESTAMP.format(instant);
    }

    /**
     * A ledger transaction as the query API and the export show it: {@code {"transactionId", ["userId",]
     * "requestId","type","currency","amount","reason","createdAt","rulesVersion",
     * "entries":[{"account","currency","debit","credit"}]}}.
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
        json.writeStringField("currency", transaction.currency());
        json.writeNumberField("amount", transaction.amount());
        json.writeStringField("reason", transaction.reason());
        json.writeStringField("createdAt", timestamp(transaction.createdAt()));
        json.writeStringField("rulesVersion", transaction.basis() == null ? null : transaction.basis().rulesVersion());
        json.writeArrayFieldStart("entries");
        for (Entry entry : transaction.entries()) {
            json.writeStartObject();
            json.writeStringField("account", entry.account());
            json.writeStringField("currency", entry.currency());
            json.writeNumberField("debit", entry.debit());
            json.writeNumberField("credit", entry.credit());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    private static void field(JsonGenerator json, SerializableString name, String value) throws IOException {
        json.writeFieldName(name);
        json.writeString(value);
    }

    private static void writeNullableLong(JsonGenerator json, Long value) throws IOException {
        if (value == null) {
            json.writeNull();
        } else {
            json.writeNumber(value);
        }
    }

    /** An instant with its ISO-8601 text. */
    private record Timestamp(Instant instant, SerializableString text) {
        static Timestamp of(Instant instant) {
            return new Timestamp(instant, new SerializedString(timestamp(instant)));
        }
    }
}
