package dev.economyengine.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.economyengine.ledger.AmountLimit;
import dev.economyengine.ledger.CountLimit;
import dev.economyengine.ledger.Currency;
import dev.economyengine.ledger.EarningRule;
import dev.economyengine.ledger.Economy;
import dev.economyengine.ledger.Limit;
import dev.economyengine.ledger.LimitUsage;
import dev.economyengine.ledger.Transaction;
import dev.economyengine.ledger.UserBalances;
import dev.economyengine.store.TransactionPage;
import dev.economyengine.wire.EventEncoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * The API's JSON documents, as described in {@code openapi.yaml}; transactions and timestamps are
 * written by {@link EventEncoder}, as in the events.
 */
final class JsonBodies {
    private static final JsonFactory JSON = new JsonFactory();

    private JsonBodies() {}

    /**
     * {@code balance} is the default currency's, for clients of the time of one currency; {@code balances}
     * has every currency of the economy (0 when the user has none) and any other the user holds.
     */
    static byte[] balance(UserBalances balances, Economy economy) {
        Map<String, Long> all = new TreeMap<>();
        economy.currencies().forEach(currency -> all.put(currency.code(), 0L));
        all.putAll(balances.balances());
        return write(json -> {
            json.writeStringField("userId", balances.userId());
            json.writeNumberField("balance", balances.balance(economy.defaultCurrency()));
            json.writeObjectFieldStart("balances");
            for (Map.Entry<String, Long> balance : all.entrySet()) {
                json.writeNumberField(balance.getKey(), balance.getValue());
            }
            json.writeEndObject();
            json.writeNumberField("version", balances.version());
        });
    }

    /**
     * Each limit of the economy as the user stands against it at {@code now} (or at the user's latest
     * earn under it, if later, as the worker judges earns): the rules' count limits, by action, then the
     * currencies' amount limits.
     */
    static byte[] limits(String userId, Economy economy, Map<String, LimitUsage> usages, Instant now) {
        long at = now.toEpochMilli();
        return write(json -> {
            json.writeStringField("userId", userId);
            json.writeStringField("at", EventEncoder.timestamp(now));
            json.writeArrayFieldStart("limits");
            List<EarningRule> rules = new ArrayList<>(economy.rules().all());
            rules.sort(Comparator.comparing(EarningRule::action));
            for (EarningRule rule : rules) {
                LimitUsage usage = usages.getOrDefault("action:" + rule.action(), LimitUsage.NONE);
                for (CountLimit limit : rule.limits()) {
                    limitUse(json, "count", rule.action(), rule.currency(), limit, rule.action(), usage, at);
                }
            }
            for (Currency currency : economy.currencies()) {
                LimitUsage usage = usages.getOrDefault("currency:" + currency.code(), LimitUsage.NONE);
                for (AmountLimit limit : currency.earnLimits()) {
                    limitUse(json, "amount", null, currency.code(), limit, currency.code(), usage, at);
                }
            }
            json.writeEndArray();
        });
    }

    private static void limitUse(JsonGenerator json, String kind, String action, String currency, Limit limit,
            String subject, LimitUsage usage, long at) throws IOException {
        long used = usage.used(limit, at);
        OptionalLong resetsAt = usage.resetsAt(limit, at);
        json.writeStartObject();
        json.writeStringField("kind", kind);
        json.writeStringField("action", action);
        json.writeStringField("currency", currency);
        json.writeStringField("limit", limit.describe(subject));
        json.writeNumberField("max", limit.max());
        json.writeStringField("period", limit.window().isoPeriod().orElse(null));
        json.writeBooleanField("calendar", limit.window().calendar());
        json.writeNumberField("used", used);
        json.writeNumberField("left", Math.max(0, limit.max() - used));
        json.writeStringField("resetsAt",
                resetsAt.isPresent() ? EventEncoder.timestamp(Instant.ofEpochMilli(resetsAt.getAsLong())) : null);
        json.writeEndObject();
    }

    /** The economy the worker runs, in the shape of its file, with each rule's amount and each limit in words. */
    static byte[] economy(Economy economy) {
        return write(json -> {
            json.writeStringField("rulesVersion", economy.rulesVersion());
            json.writeStringField("defaultCurrency", economy.defaultCurrency());
            json.writeObjectFieldStart("currencies");
            for (Currency currency : economy.currencies()) {
                json.writeObjectFieldStart(currency.code());
                json.writeNumberField("cap", currency.cap());
                json.writeArrayFieldStart("earnLimits");
                for (AmountLimit limit : currency.earnLimits()) {
                    writeLimit(json, "amount", limit, currency.code());
                }
                json.writeEndArray();
                json.writeEndObject();
            }
            json.writeEndObject();
            json.writeObjectFieldStart("earningRules");
            List<EarningRule> rules = new ArrayList<>(economy.rules().all());
            rules.sort(Comparator.comparing(EarningRule::action));
            for (EarningRule rule : rules) {
                json.writeObjectFieldStart(rule.action());
                json.writeStringField("currency", rule.currency());
                json.writeNumberField("baseAmount", rule.baseAmount());
                json.writeNumberField("multiplier", rule.multiplier());
                json.writeNumberField("amount", rule.creditedAmount());
                json.writeArrayFieldStart("limits");
                for (CountLimit limit : rule.limits()) {
                    writeLimit(json, "count", limit, rule.action());
                }
                json.writeEndArray();
                json.writeEndObject();
            }
            json.writeEndObject();
        });
    }

    private static void writeLimit(JsonGenerator json, String quantity, Limit limit, String subject)
            throws IOException {
        json.writeStartObject();
        json.writeNumberField(quantity, limit.max());
        json.writeStringField("period", limit.window().isoPeriod().orElse(null));
        json.writeBooleanField("calendar", limit.window().calendar());
        json.writeStringField("limit", limit.describe(subject));
        json.writeEndObject();
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

    /** A write refused before it was published; {@code field} is null when the body as a whole is at fault. */
    static byte[] invalidWrite(String field, String message) {
        return write(json -> {
            json.writeStringField("error", "invalid_request");
            json.writeStringField("field", field);
            json.writeStringField("message", message);
        });
    }

    /** A write published but not answered within the wait, and where its result will be. */
    static byte[] pending(String requestId, String userId, String location) {
        return write(json -> {
            json.writeStringField("requestId", requestId);
            json.writeStringField("userId", userId);
            json.writeStringField("status", "PENDING");
            json.writeStringField("location", location);
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
