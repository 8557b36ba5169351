package dev.economyengine.messaging;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.economyengine.ledger.BalanceChange;
import dev.economyengine.ledger.Entry;
import dev.economyengine.ledger.Outcome;
import dev.economyengine.ledger.RequestType;
import dev.economyengine.ledger.Result;
import dev.economyengine.ledger.ResultCode;
import dev.economyengine.ledger.Status;
import dev.economyengine.ledger.Transaction;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The ledger changelog record: one per first-seen request with a user, holding everything needed to
 * rebuild the shard exactly (the stored result, and for an accepted request its transaction with
 * entries and the user's balance and version after it). Timestamps are epoch milliseconds and the
 * metadata is kept as the exact JSON text, so a restored shard is identical to the original.
 * Public for {@code economy-engine replay}, which rebuilds shard files from these records.
 */
public final class ChangelogCodec {
    static final int FORMAT = 1;
    private static final JsonFactory JSON = new JsonFactory();
    private static final ObjectMapper READER = new ObjectMapper();

    byte[] encode(Outcome outcome) {
        Result result = outcome.result();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(384);
        try (JsonGenerator json = JSON.createGenerator(bytes)) {
            json.writeStartObject();
            json.writeNumberField("format", FORMAT);
            json.writeStringField("requestId", result.requestId());
            json.writeStringField("userId", result.userId());
            json.writeStringField("type", result.type().name());
            json.writeStringField("status", result.status().name());
            json.writeStringField("code", result.code().name());
            if (result.amount() == null) {
                json.writeNullField("amount");
            } else {
                json.writeNumberField("amount", result.amount());
            }
            json.writeNumberField("balance", result.balance());
            json.writeStringField("transactionId", result.transactionId());
            json.writeStringField("message", result.message());
            json.writeStringField("metadataJson", result.metadataJson());
            json.writeNumberField("processedAt", result.processedAt().toEpochMilli());
            if (outcome.transaction().isPresent()) {
                writeTransaction(json, outcome.transaction().get(), outcome.balanceChange().orElseThrow());
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode changelog record", e);
        }
        return bytes.toByteArray();
    }

    private static void writeTransaction(JsonGenerator json, Transaction transaction, BalanceChange change)
            throws IOException {
        json.writeObjectFieldStart("transaction");
        json.writeStringField("reason", transaction.reason());
        json.writeNumberField("createdAt", transaction.createdAt().toEpochMilli());
        json.writeArrayFieldStart("entries");
        for (Entry entry : transaction.entries()) {
            json.writeStartObject();
            json.writeStringField("account", entry.account());
            json.writeNumberField("debit", entry.debit());
            json.writeNumberField("credit", entry.credit());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeNumberField("version", change.version());
        json.writeEndObject();
    }

    /** Throws {@link IllegalArgumentException} for a record it cannot read. */
    public Outcome decode(byte[] value) {
        JsonNode node;
        try {
            node = READER.readTree(value);
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable changelog record: " + e.getMessage(), e);
        }
        if (node.path("format").asInt() != FORMAT) {
            throw new IllegalArgumentException("unknown changelog format " + node.path("format"));
        }
        Instant processedAt = Instant.ofEpochMilli(node.get("processedAt").asLong());
        Result result = new Result(node.get("requestId").asText(), node.get("userId").asText(),
                RequestType.valueOf(node.get("type").asText()), Status.valueOf(node.get("status").asText()),
                ResultCode.valueOf(node.get("code").asText()),
                node.get("amount").isNull() ? null : node.get("amount").asLong(), node.get("balance").asLong(),
                textOrNull(node.get("transactionId")), textOrNull(node.get("message")),
                textOrNull(node.get("metadataJson")), processedAt, false);
        JsonNode tx = node.get("transaction");
        if (tx == null || tx.isNull()) {
            return Outcome.rejected(result);
        }
        List<Entry> entries = new ArrayList<>();
        for (JsonNode entry : tx.get("entries")) {
            entries.add(new Entry(entry.get("account").asText(), entry.get("debit").asLong(),
                    entry.get("credit").asLong()));
        }
        Instant createdAt = Instant.ofEpochMilli(tx.get("createdAt").asLong());
        Transaction transaction = new Transaction(result.transactionId(), result.userId(), result.requestId(),
                result.type(), result.amount(), textOrNull(tx.get("reason")), createdAt, entries);
        BalanceChange change = new BalanceChange(result.userId(), result.balance(), transaction.delta(),
                result.transactionId(), result.requestId(), tx.get("version").asLong(), createdAt);
        return new Outcome(result, Optional.of(transaction), Optional.of(change));
    }

    private static String textOrNull(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }
}
