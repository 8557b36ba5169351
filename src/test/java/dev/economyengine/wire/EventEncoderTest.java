package dev.economyengine.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.economyengine.ledger.BalanceChange;
import dev.economyengine.ledger.EarningRule;
import dev.economyengine.ledger.Economy;
import dev.economyengine.ledger.Request;
import dev.economyengine.ledger.RequestType;
import dev.economyengine.ledger.Result;
import dev.economyengine.ledger.ResultCode;
import dev.economyengine.ledger.Status;
import dev.economyengine.messaging.Decoded;
import dev.economyengine.messaging.RequestDecoder;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventEncoderTest {

    private static final List<String> RESULT_FIELDS = List.of("requestId", "userId", "type", "status", "code",
            "amount", "currency", "balance", "transactionId", "duplicate", "processedAt", "message", "nextAllowedAt",
            "metadata");
    private static final List<String> BALANCE_CHANGE_FIELDS =
            List.of("userId", "currency", "balance", "delta", "transactionId", "requestId", "version", "occurredAt");
    private static final Instant NEW_YEAR = Instant.parse("2026-01-01T00:00:00Z");

    private final EventEncoder encoder = new EventEncoder();
    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void result_accepted_hasEveryFieldWithItsValue() throws Exception {
        Request spend = new Request.Spend("r-1", "alice", 120, "sku:sword", null);

        JsonNode json = parse(encoder.result(Result.accepted(spend, "coins", 120, 380, "tx-41", NEW_YEAR)));

        assertThat(fieldNames(json)).containsExactlyInAnyOrderElementsOf(RESULT_FIELDS);
        assertThat(json.get("requestId").textValue()).isEqualTo("r-1");
        assertThat(json.get("userId").textValue()).isEqualTo("alice");
        assertThat(json.get("type").textValue()).isEqualTo("SPEND");
        assertThat(json.get("status").textValue()).isEqualTo("ACCEPTED");
        assertThat(json.get("code").textValue()).isEqualTo("OK");
        assertThat(json.get("amount").isIntegralNumber()).isTrue();
        assertThat(json.get("amount").longValue()).isEqualTo(120);
        assertThat(json.get("balance").isIntegralNumber()).isTrue();
        assertThat(json.get("balance").longValue()).isEqualTo(380);
        assertThat(json.get("transactionId").textValue()).isEqualTo("tx-41");
        assertThat(json.get("duplicate").isBoolean()).isTrue();
        assertThat(json.get("duplicate").booleanValue()).isFalse();
        assertThat(json.get("processedAt").textValue()).isEqualTo("2026-01-01T00:00:00.000Z");
        assertThat(json.get("message").isNull()).isTrue();
        assertThat(json.get("metadata").isNull()).isTrue();
        assertThat(json.get("currency").textValue()).isEqualTo("coins");
        assertThat(json.get("nextAllowedAt").isNull()).isTrue();
    }

    @Test
    void result_inAnotherCurrencyWithANextAllowedTime_namesBoth_theTimeInIsoUtcWithMillis() throws Exception {
        Request spend = new Request.Spend("r-1", "alice", "gems", 1_000, null, null);
        Result rejected = new Result("r-1", "alice", RequestType.EARN, Status.REJECTED, ResultCode.LIMIT_REACHED, 5L,
                "gems", 70, null, "gems: 500 earned per calendar day", null, Instant.parse("2026-01-02T00:00:00Z"),
                NEW_YEAR, false);

        JsonNode json = parse(encoder.result(rejected));

        assertThat(fieldNames(json)).containsExactlyElementsOf(RESULT_FIELDS);
        assertThat(json.get("currency").textValue()).isEqualTo("gems");
        assertThat(json.get("nextAllowedAt").textValue()).isEqualTo("2026-01-02T00:00:00.000Z");
        assertThat(parse(encoder.result(Result.accepted(spend, "gems", 1_000, 0, "tx-2", NEW_YEAR))).get("currency")
                .textValue()).isEqualTo("gems");
    }

    @Test
    void result_withNoUsableCurrency_writesItAsNull() throws Exception {
        Request.Rejected unknown = new Request.Rejected("r-1", "alice", RequestType.SPEND, null, ResultCode.UNKNOWN_CURRENCY,
                "no currency 'diamonds' in the economy [coins]", 5L, null);

        JsonNode json = parse(encoder.result(Result.rejected(unknown, null, ResultCode.UNKNOWN_CURRENCY,
                unknown.message(), 5L, 0, null, NEW_YEAR)));

        assertThat(json.get("currency").isNull()).isTrue();
        assertThat(json.get("balance").longValue()).isZero();
    }

    @Test
    void result_acceptedEarn_hasTypeEarn() throws Exception {
        Request earn = new Request.Earn("r-2", "bob", 10, "daily_login", null);

        JsonNode json = parse(encoder.result(Result.accepted(earn, "coins", 10, 10, "tx-1", NEW_YEAR)));

        assertThat(json.get("type").textValue()).isEqualTo("EARN");
        assertThat(json.get("amount").longValue()).isEqualTo(10);
    }

    @Test
    void result_rejected_hasNullTransactionIdAndAMessage() throws Exception {
        Request spend = new Request.Spend("r-1", "alice", 500, null, null);
        Result rejected = Result.rejected(spend, "coins", ResultCode.INSUFFICIENT_BALANCE,
                "balance 380 is less than 500", 500L, 380, null, NEW_YEAR);

        JsonNode json = parse(encoder.result(rejected));

        assertThat(fieldNames(json)).containsExactlyInAnyOrderElementsOf(RESULT_FIELDS);
        assertThat(json.get("status").textValue()).isEqualTo("REJECTED");
        assertThat(json.get("code").textValue()).isEqualTo("INSUFFICIENT_BALANCE");
        assertThat(json.get("transactionId").isNull()).isTrue();
        assertThat(json.get("message").textValue()).isEqualTo("balance 380 is less than 500");
        assertThat(json.get("amount").longValue()).isEqualTo(500);
        assertThat(json.get("balance").longValue()).isEqualTo(380);
        assertThat(json.get("userId").textValue()).isEqualTo("alice");
        assertThat(json.get("duplicate").booleanValue()).isFalse();
    }

    @Test
    void result_rejectedWithoutUserOrAmount_writesBothAsNull() throws Exception {
        Request invalid = new Request.Rejected("r-1", null, RequestType.SPEND, null, ResultCode.INVALID_REQUEST,
                "userId is missing", null, null);
        Result rejected = Result.rejected(invalid, "coins", ResultCode.INVALID_REQUEST, "userId is missing", null, 0, null,
                NEW_YEAR);

        JsonNode json = parse(encoder.result(rejected));

        assertThat(fieldNames(json)).containsExactlyInAnyOrderElementsOf(RESULT_FIELDS);
        assertThat(json.get("userId").isNull()).isTrue();
        assertThat(json.get("amount").isNull()).isTrue();
        assertThat(json.get("balance").longValue()).isZero();
        assertThat(json.get("code").textValue()).isEqualTo("INVALID_REQUEST");
        assertThat(json.get("message").textValue()).isEqualTo("userId is missing");
    }

    @Test
    void result_duplicate_isMarkedDuplicate() throws Exception {
        Request spend = new Request.Spend("r-1", "alice", 120, null, null);
        Result original = Result.accepted(spend, "coins", 120, 380, "tx-41", NEW_YEAR);

        JsonNode json = parse(encoder.result(original.asDuplicate()));

        assertThat(json.get("duplicate").booleanValue()).isTrue();
        assertThat(json.get("transactionId").textValue()).isEqualTo("tx-41");
        assertThat(json.get("processedAt").textValue()).isEqualTo("2026-01-01T00:00:00.000Z");
    }

    @Test
    void result_withMetadata_embedsItAsAJsonObjectNotAString() throws Exception {
        String metadata = "{\"campaign\":\"spring\",\"tier\":2,\"tags\":[\"a\",\"b\"],\"n\":{\"x\":null}}";
        Request spend = new Request.Spend("r-1", "alice", 120, null, metadata);

        JsonNode json = parse(encoder.result(Result.accepted(spend, "coins", 120, 380, "tx-41", NEW_YEAR)));

        assertThat(json.get("metadata").isObject()).isTrue();
        assertThat(json.get("metadata")).isEqualTo(mapper.readTree(metadata));
    }

    @Test
    void result_withMetadataOnARejection_embedsIt() throws Exception {
        Request spend = new Request.Spend("r-1", "alice", 500, null, "{\"order\":7}");
        Result rejected = Result.rejected(spend, "coins", ResultCode.INSUFFICIENT_BALANCE, "short", 500L, 0, null, NEW_YEAR);

        JsonNode json = parse(encoder.result(rejected));

        assertThat(json.get("metadata")).isEqualTo(mapper.readTree("{\"order\":7}"));
    }

    @Test
    void result_withQuotesNewlinesAndNonAsciiInText_roundTripsThroughJson() throws Exception {
        String user = "J\u00fcrgen \"the\" \uD83D\uDE00";
        String message = "line one\nline \"two\" \\ \u0001";
        Request invalid = new Request.Rejected("r\"1", user, RequestType.EARN, null, ResultCode.UNKNOWN_ACTION, message,
                null, "{\"note\":\"caf\u00e9 \uD83D\uDE00\"}");
        Result rejected = Result.rejected(invalid, "coins", ResultCode.UNKNOWN_ACTION, message, null, 0, null, NEW_YEAR);

        JsonNode json = parse(encoder.result(rejected));

        assertThat(json.get("requestId").textValue()).isEqualTo("r\"1");
        assertThat(json.get("userId").textValue()).isEqualTo(user);
        assertThat(json.get("message").textValue()).isEqualTo(message);
        assertThat(json.get("metadata").get("note").textValue()).isEqualTo("caf\u00e9 \uD83D\uDE00");
    }

    @ParameterizedTest(name = "{0} is written as {1}")
    @CsvSource({
        "2026-01-01T00:00:00Z, 2026-01-01T00:00:00.000Z",
        "2026-01-01T00:00:00.005Z, 2026-01-01T00:00:00.005Z",
        "2026-07-15T13:04:59.120Z, 2026-07-15T13:04:59.120Z",
        "2026-12-31T23:59:59.999999999Z, 2026-12-31T23:59:59.999Z",
        "1970-01-01T00:00:00Z, 1970-01-01T00:00:00.000Z",
    })
    void result_processedAt_isUtcWithExactlyThreeDigitsOfMillis(String instant, String written) throws Exception {
        Request spend = new Request.Spend("r-1", "alice", 1, null, null);

        JsonNode json = parse(encoder.result(Result.accepted(spend, "coins", 1, 1, "tx", Instant.parse(instant))));

        assertThat(json.get("processedAt").textValue()).isEqualTo(written);
    }

    @Test
    void balanceChange_forASpend_hasEveryFieldWithANegativeDelta() throws Exception {
        BalanceChange change = new BalanceChange("alice", "coins", 380, -120, "tx-41", "r-1", 7, NEW_YEAR);

        JsonNode json = parse(encoder.balanceChange(change));

        assertThat(fieldNames(json)).containsExactlyInAnyOrderElementsOf(BALANCE_CHANGE_FIELDS);
        assertThat(json.get("userId").textValue()).isEqualTo("alice");
        assertThat(json.get("balance").isIntegralNumber()).isTrue();
        assertThat(json.get("balance").longValue()).isEqualTo(380);
        assertThat(json.get("delta").isIntegralNumber()).isTrue();
        assertThat(json.get("delta").longValue()).isEqualTo(-120);
        assertThat(json.get("transactionId").textValue()).isEqualTo("tx-41");
        assertThat(json.get("requestId").textValue()).isEqualTo("r-1");
        assertThat(json.get("version").longValue()).isEqualTo(7);
        assertThat(json.get("occurredAt").textValue()).isEqualTo("2026-01-01T00:00:00.000Z");
        assertThat(json.get("currency").textValue()).isEqualTo("coins");
        assertThat(fieldNames(json)).containsExactlyElementsOf(BALANCE_CHANGE_FIELDS);
    }

    @Test
    void balanceChange_forAnEarn_hasAPositiveDelta() throws Exception {
        BalanceChange change = new BalanceChange("bob", "coins", 1_000_000_000L, 1_000_000_000L, "tx-1", "r-9", 1,
                Instant.parse("2026-03-04T05:06:07.089Z"));

        JsonNode json = parse(encoder.balanceChange(change));

        assertThat(json.get("delta").longValue()).isEqualTo(1_000_000_000L);
        assertThat(json.get("balance").longValue()).isEqualTo(1_000_000_000L);
        assertThat(json.get("version").longValue()).isEqualTo(1);
        assertThat(json.get("occurredAt").textValue()).isEqualTo("2026-03-04T05:06:07.089Z");
    }

    @Test
    void result_withNonAsciiText_isWrittenAsUtf8() {
        Request spend = new Request.Spend("r-1", "\u00e9", 1, null, null);

        byte[] bytes = encoder.result(Result.accepted(spend, "coins", 1, 1, "tx", NEW_YEAR));

        assertThat(new String(bytes, StandardCharsets.UTF_8)).contains("\"userId\":\"\u00e9\"");
    }

    /**
     * "\ud800" is legal JSON escape syntax, so the decoder accepts such metadata; the encoder writes
     * metadata with writeRawValue, which refuses a lone surrogate and throws UncheckedIOException. In the
     * worker that exception escapes after the ledger has committed the request, and stops the worker.
     * Whatever the decoder accepts, the encoder must be able to write.
     */
    @Test
    void result_forMetadataTheDecoderAccepted_isWrittenEvenWithALoneSurrogateEscape() {
        RequestDecoder decoder = new RequestDecoder(Economy.coinsOnly(
                List.of(new EarningRule("daily_login", 10, BigDecimal.ONE))));
        byte[] value = "{\"requestId\":\"r-1\",\"userId\":\"alice\",\"amount\":5,\"metadata\":{\"note\":\"\\ud800\"}}"
                .getBytes(StandardCharsets.UTF_8);
        Decoded decoded = decoder.decode(RequestType.SPEND, value);
        assertThat(decoded).isInstanceOf(Decoded.Readable.class);
        Request request = ((Decoded.Readable) decoded).request();
        Result result = request instanceof Request.Rejected rejected
                ? Result.rejected(rejected, "coins", rejected.code(), rejected.message(), null, 0, null, NEW_YEAR)
                : Result.accepted(request, "coins", 5, 0, "tx-1", NEW_YEAR);

        assertThatCode(() -> encoder.result(result)).doesNotThrowAnyException();
    }

    @Test
    void result_statusAndCode_areWrittenByName() throws Exception {
        for (ResultCode code : ResultCode.values()) {
            Status status = code == ResultCode.OK ? Status.ACCEPTED : Status.REJECTED;
            Result result = new Result("r-1", "alice", RequestType.SPEND, status, code, 1L, "coins", 1,
                    code == ResultCode.OK ? "tx" : null, code == ResultCode.OK ? null : "why", null, null, NEW_YEAR, false);

            JsonNode json = parse(encoder.result(result));

            assertThat(json.get("code").textValue()).isEqualTo(code.name());
            assertThat(json.get("status").textValue()).isEqualTo(status.name());
        }
    }

    private JsonNode parse(byte[] bytes) throws Exception {
        JsonNode json = mapper.readTree(bytes);
        assertThat(json.isObject()).isTrue();
        return json;
    }

    private static List<String> fieldNames(JsonNode json) {
        List<String> names = new ArrayList<>();
        json.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
