package dev.economyengine.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.economyengine.ledger.Entry;
import dev.economyengine.ledger.Transaction;
import dev.economyengine.ledger.UserBalance;
import dev.economyengine.store.TransactionPage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The API's JSON documents, as described in {@code openapi.yaml}. Timestamps are written as the events
 * write them: ISO-8601 UTC with milliseconds.
 */
final class JsonBodies {
    private static final JsonFactory JSON = new JsonFactory();
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private JsonBodies() {}

    static byte[] balance(UserBalance balance) {
        return write(json -> {
            json.writeStringField("userId", balance.userId());
            json.writeNumberField("balance", balance.balance());
            json.writeNumberField("version", balance.version());
        });
    }

    static byte[] transactions(TransactionPage page) {
        return write(json -> {
            json.writeStringField("userId", page.userId());
            json.writeArrayFieldStart("transactions");
            for (Transaction transaction : page.transactions()) {
                writeTransaction(json, transaction);
            }
            json.writeEndArray();
            json.writeStringField("nextCursor", page.nextCursor());
        });
    }

    private static void writeTransaction(JsonGenerator json, Transaction transaction) throws IOException {
        json.writeStartObject();
        json.writeStringField("transactionId", transaction.transactionId());
        json.writeStringField("requestId", transaction.requestId());
        json.writeStringField("type", transaction.type().name());
        json.writeNumberField("amount", transaction.amount());
        json.writeStringField("reason", transaction.reason());
        json.writeStringField("createdAt", TIMESTAMP.format(transaction.createdAt()));
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

    static byte[] error(String error, String message) {
        return write(json -> {
            json.writeStringField("error", error);
            json.writeStringField("message", message);
        });
    }

    static byte[] notOwner(String message, String owner, int partition) {
        return write(json -> {
            json.writeStringField("error", "not_owner");
            json.writeStringField("message", message);
            json.writeStringField("owner", owner);
            json.writeNumberField("partition", partition);
        });
    }

    static byte[] live() {
        return write(json -> json.writeStringField("status", "UP"));
    }

    static byte[] ready(String reason) {
        return write(json -> {
            json.writeBooleanField("ready", true);
            json.writeStringField("reason", reason);
        });
    }

    private static byte[] write(Fields fields) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (JsonGenerator json = JSON.createGenerator(bytes)) {
            json.writeStartObject();
            fields.write(json);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a JSON body", e);
        }
        return bytes.toByteArray();
    }

    @FunctionalInterface
    private interface Fields {
        void write(JsonGenerator json) throws IOException;
    }
}
