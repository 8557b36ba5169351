package dev.economyengine.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.economyengine.ledger.Transaction;
import dev.economyengine.ledger.UserBalance;
import dev.economyengine.store.TransactionPage;
import dev.economyengine.wire.EventEncoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The API's JSON documents, as described in {@code openapi.yaml}; transactions and timestamps are
 * written by {@link EventEncoder}, as in the events.
 */
final class JsonBodies {
    private static final JsonFactory JSON = new JsonFactory();

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
                EventEncoder.writeTransaction(json, transaction, false);
            }
            json.writeEndArray();
            json.writeStringField("nextCursor", page.nextCursor());
        });
    }

    static byte[] error(String error, String message) {
        return write(json -> {
            json.writeStringField("error", error);
            json.writeStringField("message", message);
        });
    }

    /** A shard held here but not live: the error, with the name of the shard's state. */
    static byte[] notLive(String error, String state, String message) {
        return write(json -> {
            json.writeStringField("error", error);
            json.writeStringField("state", state);
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
