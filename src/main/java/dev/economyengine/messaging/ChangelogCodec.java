package dev.economyengine.messaging;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.economyengine.ledger.BalanceChange;
import dev.economyengine.ledger.Entry;
import dev.economyengine.ledger.Outcome;
import dev.economyengine.ledger.RequestType;
import dev.economyengine.ledger.Result;
import dev.economyengine.ledger.ResultCode;
import dev.economyengine.ledger.Status;
import dev.economyengine.ledger.Transaction;
import dev.economyengine.wire.JsonRecordWriter;
import java.io.IOException;
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
 *
 * <p>Format 2, written since the ledger holds several currencies, adds the result's {@code currency}
 * and {@code nextAllowedAt}, and for an earn what it was decided on: the {@code action}, the
 * {@code rulesVersion} and the {@code recordedAt} its limits were judged at, from which a restore
 * rebuilds the limits' usage. Format 1 records still decode, everything in them the default currency's
 * (a rejection that named no usable action none's), as a shard file of that time is upgraded.
 */
public final class ChangelogCodec {
    static final int FORMAT = 2;
    static final int FIRST_FORMAT = 1;
    private static final JsonFactory JSON = new JsonFactory();

    private final String defaultCurrency;

    /** @param defaultCurrency the currency of everything in a record of format 1 */
    public ChangelogCodec(String defaultCurrency) {
        this.defaultCurrency = defaultCurrency;
    }

    byte[] encode(Outcome outcome) {
        Result result = outcome.result();
        return JsonRecordWriter.forThisThread().write(json -> {
            json.writeFieldName(Names.FORMAT);
            json.writeNumber(FORMAT);
            field(json, Names.REQUEST_ID, result.requestId());
            field(json, Names.USER_ID, result.userId());
            field(json, Names.TYPE, result.type().name());
            field(json, Names.STATUS, result.status().name());
            field(json, Names.CODE, result.code().name());
            json.writeFieldName(Names.AMOUNT);
            if (result.amount() == null) {
                json.writeNull();
            } else {
                json.writeNumber(result.amount());
            }
            field(json, Names.CURRENCY, result.currency());
            json.writeFieldName(Names.BALANCE);
            json.writeNumber(result.balance());
            field(json, Names.TRANSACTION_ID, result.transactionId());
            field(json, Names.MESSAGE, result.message());
            field(json, Names.METADATA_JSON, result.metadataJson());
            json.writeFieldName(Names.NEXT_ALLOWED_AT);
            if (result.nextAllowedAt() == null) {
                json.writeNull();
            } else {
                json.writeNumber(result.nextAllowedAt().toEpochMilli());
            }
            json.writeFieldName(Names.PROCESSED_AT);
            json.writeNumber(result.processedAt().toEpochMilli());
            if (outcome.transaction().isPresent()) {
                writeTransaction(json, outcome.transaction().get(), outcome.balanceChange().orElseThrow());
            }
        });
    }

    private static void writeTransaction(JsonGenerator json, Transaction transaction, BalanceChange change)
            throws IOException {
        json.writeFieldName(Names.TRANSACTION);
        json.writeStartObject();
        field(json, Names.REASON, transaction.reason());
        json.writeFieldName(Names.CREATED_AT);
        json.writeNumber(transaction.createdAt().toEpochMilli());
        json.writeFieldName(Names.ENTRIES);
        json.writeStartArray();
        for (Entry entry : transaction.entries()) {
            json.writeStartObject();
            field(json, Names.ACCOUNT, entry.account());
            json.writeFieldName(Names.DEBIT);
            json.writeNumber(entry.debit());
            json.writeFieldName(Names.CREDIT);
            json.writeNumber(entry.credit());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeFieldName(Names.VERSION);
        json.writeNumber(change.version());
        Transaction.EarnBasis basis = transaction.basis();
        if (basis != null) {
            field(json, Names.ACTION, basis.action());
            field(json, Names.RULES_VERSION, basis.rulesVersion());
            json.writeFieldName(Names.RECORDED_AT);
            json.writeNumber(basis.recordedAt().toEpochMilli());
        }
        json.writeEndObject();
    }

    private static void field(JsonGenerator json, SerializableString name, String value) throws IOException {
        json.writeFieldName(name);
        json.writeString(value);
    }

    /**
     * Throws {@link IllegalArgumentException} for a record it cannot read. Reads tokens as they come
     * rather than building a tree first: restore decodes every record of the changelog.
     */
    public Outcome decode(byte[] value) {
        Record record = new Record(defaultCurrency);
        try (JsonParser json = JSON.createParser(value)) {
            if (json.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("unreadable changelog record: not a JSON object");
            }
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String name = json.currentName();
                json.nextToken();
                record.read(name, json);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable changelog record: " + e.getMessage(), e);
        }
        return record.toOutcome();
    }

    /** The fields of one changelog record as they are read. */
    private static final class Record {
        final String defaultCurrency;
        int format;
        String requestId;
        String userId;
        String type;
        String status;
        String code;
        Long amount;
        long balance;
        String transactionId;
        String message;
        String metadataJson;
        long processedAt;
        boolean hasTransaction;
        String reason;
        long createdAt;
        final List<Entry> entries = new ArrayList<>(2);
        long version;
        String currency;
        Long nextAllowedAt;
        String action;
        String rulesVersion;
        Long recordedAt;

        Record(String defaultCurrency) {
            this.defaultCurrency = defaultCurrency;
        }

        void read(String name, JsonParser json) throws IOException {
            switch (name) {
                case "format" -> format = json.getValueAsInt();
                case "requestId" -> requestId = json.getValueAsString();
                case "userId" -> userId = json.getValueAsString();
                case "type" -> type = json.getValueAsString();
                case "status" -> status = json.getValueAsString();
                case "code" -> code = json.getValueAsString();
                case "amount" -> amount = json.currentToken() == JsonToken.VALUE_NULL ? null : json.getLongValue();
                case "balance" -> balance = json.getLongValue();
                case "transactionId" -> transactionId = json.getValueAsString();
                case "message" -> message = json.getValueAsString();
                case "metadataJson" -> metadataJson = json.getValueAsString();
                case "processedAt" -> processedAt = json.getLongValue();
                case "currency" -> currency = json.getValueAsString();
                case "nextAllowedAt" -> nextAllowedAt = nullableLong(json);
                case "transaction" -> readTransaction(json);
                default -> json.skipChildren();
            }
        }

        private void readTransaction(JsonParser json) throws IOException {
            if (json.currentToken() == JsonToken.VALUE_NULL) {
                return;
            }
            hasTransaction = true;
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String name = json.currentName();
                json.nextToken();
                switch (name) {
                    case "reason" -> reason = json.getValueAsString();
                    case "createdAt" -> createdAt = json.getLongValue();
                    case "version" -> version = json.getLongValue();
                    case "entries" -> readEntries(json);
                    case "action" -> action = json.getValueAsString();
                    case "rulesVersion" -> rulesVersion = json.getValueAsString();
                    case "recordedAt" -> recordedAt = nullableLong(json);
                    default -> json.skipChildren();
                }
            }
        }

        private static Long nullableLong(JsonParser json) throws IOException {
            return json.currentToken() == JsonToken.VALUE_NULL ? null : json.getLongValue();
        }

        /** The entries as read; their currency, the transaction's, is known only once the record is read. */
        private final List<long[]> amounts = new ArrayList<>(2);
        private final List<String> accounts = new ArrayList<>(2);

        private void readEntries(JsonParser json) throws IOException {
            while (json.nextToken() == JsonToken.START_OBJECT) {
                String account = null;
                long debit = 0;
                long credit = 0;
                while (json.nextToken() == JsonToken.FIELD_NAME) {
                    String name = json.currentName();
                    json.nextToken();
                    switch (name) {
                        case "account" -> account = json.getValueAsString();
                        case "debit" -> debit = json.getLongValue();
                        case "credit" -> credit = json.getLongValue();
                        default -> json.skipChildren();
                    }
                }
                accounts.add(account);
                amounts.add(new long[] {debit, credit});
            }
        }

        Outcome toOutcome() {
            if (format == FIRST_FORMAT) {
                currency = firstFormatCurrency();
            } else if (format != FORMAT) {
                throw new IllegalArgumentException("unknown changelog format " + format);
            }
            Result result = new Result(requestId, userId, RequestType.valueOf(type), Status.valueOf(status),
                    ResultCode.valueOf(code), amount, currency, balance, transactionId, message, metadataJson,
                    nextAllowedAt == null ? null : Instant.ofEpochMilli(nextAllowedAt), Instant.ofEpochMilli(processedAt),
                    false);
            if (!hasTransaction) {
                return Outcome.rejected(result);
            }
            for (int i = 0; i < accounts.size(); i++) {
                entries.add(new Entry(accounts.get(i), currency, amounts.get(i)[0], amounts.get(i)[1]));
            }
            Instant created = Instant.ofEpochMilli(createdAt);
            Transaction.EarnBasis basis = rulesVersion == null ? null
                    : new Transaction.EarnBasis(action, rulesVersion, Instant.ofEpochMilli(recordedAt));
            Transaction transaction = new Transaction(transactionId, userId, requestId, result.type(), currency, amount,
                    reason, created, entries, basis);
            BalanceChange change = new BalanceChange(userId, currency, balance, transaction.delta(), transactionId,
                    requestId, version, created);
            return new Outcome(result, Optional.of(transaction), Optional.of(change));
        }

        /**
         * The currency of a format 1 record, as the upgrade of a shard file of that time gives its stored
         * result ({@code Schema.LEGACY_RESULT_CURRENCY}): none for a request that named no usable action,
         * the default currency for the rest.
         */
        private String firstFormatCurrency() {
            boolean noUsableAction = "UNKNOWN_ACTION".equals(code)
                    || ("EARN".equals(type) && "INVALID_REQUEST".equals(code));
            return !hasTransaction && noUsableAction ? null : defaultCurrency;
        }
    }

    /** Field names, encoded once. */
    private static final class Names {
        static final SerializableString FORMAT = new SerializedString("format");
        static final SerializableString REQUEST_ID = new SerializedString("requestId");
        static final SerializableString USER_ID = new SerializedString("userId");
        static final SerializableString TYPE = new SerializedString("type");
        static final SerializableString STATUS = new SerializedString("status");
        static final SerializableString CODE = new SerializedString("code");
        static final SerializableString AMOUNT = new SerializedString("amount");
        static final SerializableString BALANCE = new SerializedString("balance");
        static final SerializableString TRANSACTION_ID = new SerializedString("transactionId");
        static final SerializableString MESSAGE = new SerializedString("message");
        static final SerializableString METADATA_JSON = new SerializedString("metadataJson");
        static final SerializableString PROCESSED_AT = new SerializedString("processedAt");
        static final SerializableString TRANSACTION = new SerializedString("transaction");
        static final SerializableString REASON = new SerializedString("reason");
        static final SerializableString CREATED_AT = new SerializedString("createdAt");
        static final SerializableString ENTRIES = new SerializedString("entries");
        static final SerializableString ACCOUNT = new SerializedString("account");
        static final SerializableString DEBIT = new SerializedString("debit");
        static final SerializableString CREDIT = new SerializedString("credit");
        static final SerializableString VERSION = new SerializedString("version");
        static final SerializableString CURRENCY = new SerializedString("currency");
        static final SerializableString NEXT_ALLOWED_AT = new SerializedString("nextAllowedAt");
        static final SerializableString ACTION = new SerializedString("action");
        static final SerializableString RULES_VERSION = new SerializedString("rulesVersion");
        static final SerializableString RECORDED_AT = new SerializedString("recordedAt");

        private Names() {}
    }
}
