package dev.economyengine.messaging;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.economyengine.ledger.Currency;
import dev.economyengine.ledger.EarningRule;
import dev.economyengine.ledger.EarningRules;
import dev.economyengine.ledger.Economy;
import dev.economyengine.ledger.Money;
import dev.economyengine.ledger.Request;
import dev.economyengine.ledger.RequestType;
import dev.economyengine.ledger.ResultCode;
import dev.economyengine.wire.StrictJson;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a request record into a {@link Request}. Two kinds of bad input are told apart: a record
 * with no usable {@code requestId} cannot be answered and is {@link Decoded.Unreadable}; any other
 * bad field becomes a {@link Request.Rejected} with a message naming the field, so the sender gets a
 * REJECTED result. Unknown fields are ignored, so producers may add fields before the worker knows them.
 * The record key is not read: it only chose the partition, and {@link RequestRouter} sends a request
 * to its user's partition whatever its key.
 */
public final class RequestDecoder {
    static final int MAX_REASON_LENGTH = 256;
    static final int MAX_METADATA_BYTES = 4096;

    private static final ObjectMapper JSON = JsonMapper.builder()
            // A key given twice is ambiguous (which requestId is meant?), so such a record is unreadable.
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final Economy economy;
    private final EarningRules rules;

    public RequestDecoder(Economy economy) {
        this.economy = economy;
        this.rules = economy.rules();
    }

    /** The economy whose rules and currencies this decoder reads requests by. */
    public Economy economy() {
        return economy;
    }

    /**
     * Decodes a request without a record timestamp: its earn limits are judged at the time it is decided.
     * For the embedded tools; the worker decodes with the record's timestamp.
     */
    public Decoded decode(RequestType type, byte[] value) {
        return decode(type, value, null);
    }

    /**
     * Decodes a request record; an earn's limits are judged at {@code recordTimestamp}, Kafka's timestamp
     * of the record (milliseconds since the epoch), never the worker's clock: a request decided again,
     * after a crash, a rebalance or a restore, gets the same answer.
     */
    public Decoded decode(RequestType type, byte[] value, long recordTimestamp) {
        // Every record of message format 2 has one; the clamp only keeps a malformed -1 deterministic.
        return decode(type, value, Instant.ofEpochMilli(Math.max(0, recordTimestamp)));
    }

    private Decoded decode(RequestType type, byte[] value, Instant recordedAt) {
        if (value == null) {
            return new Decoded.Unreadable("record has no value");
        }
        JsonNode body;
        try {
            body = JSON.readTree(StrictJson.text(value));
        } catch (CharacterCodingException e) {
            // Jackson would accept overlong forms and encoded surrogates, letting one requestId arrive
            // under several byte spellings.
            return new Decoded.Unreadable("not valid UTF-8");
        } catch (IOException e) {
            return new Decoded.Unreadable("not valid JSON: " + StrictJson.firstLine(e.getMessage()));
        }
        if (body == null || !body.isObject()) {
            return new Decoded.Unreadable("not a JSON object");
        }
        JsonNode requestId = body.get("requestId");
        if (requestId == null || requestId.isNull()) {
            return new Decoded.Unreadable("requestId is missing");
        }
        if (!requestId.isTextual()) {
            return new Decoded.Unreadable("requestId is not a string");
        }
        if (!Request.isValidId(requestId.textValue())) {
            return new Decoded.Unreadable("requestId must be 1 to " + Request.MAX_ID_LENGTH + " characters");
        }
        if (!StrictJson.isWellFormed(requestId.textValue())) {
            return new Decoded.Unreadable("requestId is not valid Unicode text");
        }
        return new Decoded.Readable(new Fields(type, requestId.textValue(), body, recordedAt).toRequest());
    }

    /** The checks of one readable body, in order; the first bad field rejects the request. */
    private final class Fields {
        private final RequestType type;
        private final String requestId;
        private final JsonNode body;
        private final Instant recordedAt;
        private String userId;
        private String metadataJson;

        Fields(RequestType type, String requestId, JsonNode body, Instant recordedAt) {
            this.type = type;
            this.requestId = requestId;
            this.body = body;
            this.recordedAt = recordedAt;
        }

        Request toRequest() {
            // JSON escapes can spell a lone surrogate, which no UTF-8 key or event can carry.
            for (Map.Entry<String, JsonNode> field : body.properties()) {
                if (!StrictJson.isWellFormed(field.getKey()) || !StrictJson.isWellFormedTree(field.getValue())) {
                    return invalid(field.getKey() + " is not valid Unicode text", null);
                }
            }
            JsonNode user = body.get("userId");
            if (user == null || user.isNull()) {
                return invalid("userId is missing", null);
            }
            if (!user.isTextual() || !Request.isValidId(user.textValue())) {
                return invalid("userId must be a string of 1 to " + Request.MAX_ID_LENGTH + " characters", null);
            }
            userId = user.textValue();
            JsonNode metadata = body.get("metadata");
            if (metadata != null && !metadata.isNull()) {
                if (!metadata.isObject()) {
                    return invalid("metadata must be a JSON object", null);
                }
                String json = metadata.toString();
                if (json.getBytes(StandardCharsets.UTF_8).length > MAX_METADATA_BYTES) {
                    return invalid("metadata must be at most " + MAX_METADATA_BYTES + " bytes of JSON", null);
                }
                metadataJson = json;
            }
            JsonNode reasonNode = body.get("reason");
            String reason = null;
            if (reasonNode != null && !reasonNode.isNull()) {
                if (!reasonNode.isTextual()
                        || reasonNode.textValue().codePointCount(0, reasonNode.textValue().length()) > MAX_REASON_LENGTH) {
                    return invalid("reason must be a string of at most " + MAX_REASON_LENGTH + " characters", null);
                }
                reason = reasonNode.textValue();
            }
            return type == RequestType.EARN ? earn(reason) : spend(reason);
        }

        private Request earn(String reason) {
            JsonNode action = body.get("action");
            if (action == null || action.isNull() || !action.isTextual() || action.textValue().isEmpty()) {
                return invalid("action must be a non-empty string", null);
            }
            Optional<EarningRule> rule = rules.forAction(action.textValue());
            if (rule.isEmpty()) {
                return new Request.Rejected(requestId, userId, type, null, ResultCode.UNKNOWN_ACTION,
                        "no earning rule for action '" + action.textValue() + "'", null, metadataJson);
            }
            return new Request.Earn(requestId, userId, rule.get().currency(), rule.get().creditedAmount(),
                    action.textValue(), reason != null ? reason : action.textValue(), metadataJson, recordedAt);
        }

        /** The currency is read before the amount: the amount's range is the currency's. */
        private Request spend(String reason) {
            JsonNode named = body.get("currency");
            String code = named == null || named.isNull() ? economy.defaultCurrency() : null;
            if (code == null && !named.isTextual()) {
                return invalid("currency must be a string naming a currency of the economy "
                        + economyCurrencies(), null);
            }
            if (code == null) {
                code = named.textValue();
            }
            Optional<Currency> currency = economy.currency(code);
            JsonNode amount = body.get("amount");
            if (currency.isEmpty()) {
                return new Request.Rejected(requestId, userId, type, null, ResultCode.UNKNOWN_CURRENCY,
                        "no currency '" + shortened(code) + "' in the economy " + economyCurrencies(),
                        askedAmount(amount), metadataJson);
            }
            if (amount == null || amount.isNull()) {
                return invalid("amount is missing", null);
            }
            if (!amount.isIntegralNumber() || !amount.canConvertToLong()
                    || !currency.get().isValidAmount(amount.longValue())) {
                return invalid("amount must be a whole number from 1 to " + currency.get().cap(), null);
            }
            return new Request.Spend(requestId, userId, code, amount.longValue(), reason, metadataJson);
        }

        /** The amount a spend in an unknown currency asked for, if it is one some currency could move. */
        private static Long askedAmount(JsonNode amount) {
            if (amount == null || !amount.isIntegralNumber() || !amount.canConvertToLong()) {
                return null;
            }
            long asked = amount.longValue();
            return asked >= 1 && asked <= Money.MAX_CAP ? asked : null;
        }

        private String economyCurrencies() {
            return economy.currencies().stream().map(Currency::code).toList().toString();
        }

        private Request invalid(String message, Long amount) {
            return new Request.Rejected(requestId, userId, type, requestedCurrency(), ResultCode.INVALID_REQUEST,
                    message, amount, metadataJson);
        }

        /**
         * The currency a request refused for a bad field was in, so that its result shows the user's
         * balance in it: a spend's is the one it names, if the economy has it, or the default currency if
         * it names none; an earn's is its rule's, if its action has one.
         */
        private String requestedCurrency() {
            if (type == RequestType.SPEND) {
                JsonNode named = body.get("currency");
                if (named == null || named.isNull()) {
                    return economy.defaultCurrency();
                }
                return named.isTextual() && economy.currency(named.textValue()).isPresent() ? named.textValue() : null;
            }
            JsonNode action = body.get("action");
            if (action == null || !action.isTextual()) {
                return null;
            }
            return rules.forAction(action.textValue()).map(EarningRule::currency).orElse(null);
        }
    }

    /** Text from a request, cut for a message: a result must not carry a megabyte back. */
    private static String shortened(String text) {
        return text.length() <= 64 ? text : text.substring(0, 61) + "...";
    }




}
