package dev.economyengine.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.economyengine.ledger.EarningRule;
import dev.economyengine.ledger.Economy;
import dev.economyengine.ledger.Request;
import dev.economyengine.ledger.RequestType;
import dev.economyengine.ledger.ResultCode;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The wire contract of request records. JSON in these tests is written with single quotes, turned
 * into double quotes by {@link #json}, so that the bodies read as they travel.
 */
class RequestDecoderTest {

    private static final String EMOJI = "\uD83D\uDE00"; // one code point, two UTF-16 chars, four UTF-8 bytes
    private static final String ALICE = "alice";

    private static final Economy RULES = Economy.coinsOnly(List.of(
            new EarningRule("daily_login", 10, new BigDecimal("1.0")),
            new EarningRule("first_purchase", 7, new BigDecimal("1.5"))));

    private final RequestDecoder decoder = new RequestDecoder(RULES);

    // ---------------------------------------------------------------- valid requests

    @Nested
    class ValidRequests {

        @Test
        void spend_withEveryField_isDecodedAsASpend() {
            Request request = readable(RequestType.SPEND,
                    "{'requestId':'r-1','userId':'alice','amount':120,'reason':'sku:sword'}");

            assertThat(request).isEqualTo(new Request.Spend("r-1", ALICE, "coins", 120, "sku:sword", null));
        }

        @Test
        void spend_withoutReason_hasNoReason() {
            Request request = readable(RequestType.SPEND, "{'requestId':'r-1','userId':'alice','amount':120}");

            assertThat(request).isEqualTo(new Request.Spend("r-1", ALICE, "coins", 120, null, null));
        }

        @Test
        void spend_withReasonNull_hasNoReason() {
            Request request = readable(RequestType.SPEND,
                    "{'requestId':'r-1','userId':'alice','amount':120,'reason':null}");

            assertThat(request).isEqualTo(new Request.Spend("r-1", ALICE, "coins", 120, null, null));
        }

        @ParameterizedTest(name = "amount {0} is accepted")
        @ValueSource(longs = {1, 2, 999_999_999, 1_000_000_000})
        void spend_withAmountFromOneToOneBillion_isAccepted(long amount) {
            Request request = readable(RequestType.SPEND,
                    "{'requestId':'r-1','userId':'alice','amount':" + amount + "}");

            assertThat(request).isEqualTo(new Request.Spend("r-1", ALICE, "coins", amount, null, null));
        }

        @Test
        void earn_withKnownAction_creditsTheRuleAmountAndDefaultsReasonToTheAction() {
            Request request = readable(RequestType.EARN,
                    "{'requestId':'r-1','userId':'alice','action':'daily_login'}");

            assertThat(request).isEqualTo(new Request.Earn("r-1", ALICE, "coins", 10, "daily_login", "daily_login", null, null));
        }

        @Test
        void earn_withReason_keepsTheGivenReason() {
            Request request = readable(RequestType.EARN,
                    "{'requestId':'r-1','userId':'alice','action':'daily_login','reason':'streak day 3'}");

            assertThat(request).isEqualTo(new Request.Earn("r-1", ALICE, "coins", 10, "daily_login", "streak day 3", null, null));
        }

        @Test
        void earn_withReasonNull_defaultsReasonToTheAction() {
            Request request = readable(RequestType.EARN,
                    "{'requestId':'r-1','userId':'alice','action':'daily_login','reason':null}");

            assertThat(request).isEqualTo(new Request.Earn("r-1", ALICE, "coins", 10, "daily_login", "daily_login", null, null));
        }

        @Test
        void earn_withFractionalMultiplier_creditsTheFloorOfBaseTimesMultiplier() {
            // first_purchase: 7 x 1.5 = 10.5, floored to 10.
            Request request = readable(RequestType.EARN,
                    "{'requestId':'r-1','userId':'alice','action':'first_purchase'}");

            assertThat(request).isEqualTo(new Request.Earn("r-1", ALICE, "coins", 10, "first_purchase", "first_purchase", null, null));
        }

        @Test
        void earn_withAnAmountInTheBody_ignoresItAndCreditsTheRuleAmount() {
            Request request = readable(RequestType.EARN,
                    "{'requestId':'r-1','userId':'alice','action':'daily_login','amount':1000000}");

            assertThat(request).isEqualTo(new Request.Earn("r-1", ALICE, "coins", 10, "daily_login", "daily_login", null, null));
        }

        @Test
        void request_withUnknownExtraFields_ignoresThem() {
            Request request = readable(RequestType.SPEND,
                    "{'requestId':'r-1','userId':'alice','amount':120,'channel':'web',"
                            + "'clientVersion':3,'tags':['a',{'b':null}],'nested':{'requestId':'other'}}");

            assertThat(request).isEqualTo(new Request.Spend("r-1", ALICE, "coins", 120, null, null));
        }

        @Test
        void request_withFieldsInAnyOrderAndWhitespace_isDecoded() {
            Request request = readable(RequestType.SPEND,
                    "\n  { 'amount' : 120 ,\t'userId':'alice' , 'requestId' : 'r-1' }  \r\n");

            assertThat(request).isEqualTo(new Request.Spend("r-1", ALICE, "coins", 120, null, null));
        }

        @Test
        void request_withUtf8ByteOrderMark_isDecoded() {
            byte[] body = concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
                    utf8(json("{'requestId':'r-1','userId':'alice','amount':5}")));

            Decoded decoded = decoder.decode(RequestType.SPEND, body);

            assertThat(decoded).isEqualTo(new Decoded.Readable(new Request.Spend("r-1", ALICE, "coins", 5, null, null)));
        }

        @Test
        void request_withNonAsciiUserId_isDecoded() {
            String user = "J\u00fcrgen-" + EMOJI;
            Decoded decoded = decoder.decode(RequestType.SPEND,
                    utf8(json("{'requestId':'r-1','userId':'" + user + "','amount':5}")));

            assertThat(decoded).isEqualTo(new Decoded.Readable(new Request.Spend("r-1", user, "coins", 5, null, null)));
        }

        @Test
        void request_withEscapedCharactersInStrings_isDecodedToThoseCharacters() {
            String body = "{\"requestId\":\"r\\u002d1\",\"userId\":\"alice\",\"amount\":5,"
                    + "\"reason\":\"line\\nbreak \\\"q\\\" \\\\\"}";

            Decoded decoded = decoder.decode(RequestType.SPEND, utf8(body));

            assertThat(decoded).isEqualTo(
                    new Decoded.Readable(new Request.Spend("r-1", ALICE, "coins", 5, "line\nbreak \"q\" \\", null)));
        }
    }

    // ---------------------------------------------------------------- unreadable records

    @Nested
    class UnreadableRecords {

        @Test
        void value_null_isUnreadable() {
            Decoded decoded = decoder.decode(RequestType.SPEND, null);

            assertThat(decoded).isInstanceOf(Decoded.Unreadable.class);
            assertThat(((Decoded.Unreadable) decoded).reason()).contains("no value");
        }

        @ParameterizedTest(name = "body <{0}> is unreadable")
        @ValueSource(strings = {"", " ", "\n", "[]", "[{'requestId':'r-1','userId':'alice','amount':5}]",
            "'r-1'", "'{\\'requestId\\':\\'r-1\\'}'", "42", "-1.5", "null", "true", "false"})
        void value_thatIsNotAJsonObject_isUnreadable(String body) {
            Decoded.Unreadable unreadable = unreadable(RequestType.SPEND, json(body.replace("\\'", "\\\"")));

            assertThat(unreadable.reason()).isNotBlank();
        }

        @ParameterizedTest(name = "body <{0}> is unreadable")
        @ValueSource(strings = {
            "{'requestId':'r-1','userId':'alice','amount':5",
            "{'requestId':'r-1','userId':'alice','amount':}",
            "{'requestId':'r-1','userId':'alice','amount':5,}",
            "{requestId:'r-1','userId':'alice','amount':5}",
            "{'requestId':'r-1' 'userId':'alice'}",
            "{'requestId':'r-1','userId':'alice','amount':05}",
            "{'requestId':'r-1','userId':'alice','amount':NaN}",
            "{'requestId':'r-1','userId':'alice','amount':5} // comment",
            "{'requestId':'r-1','userId':'alice','amount':5,'reason':'unterminated}",
        })
        void value_thatIsNotValidJson_isUnreadable(String body) {
            Decoded.Unreadable unreadable = unreadable(RequestType.SPEND, json(body));

            assertThat(unreadable.reason()).startsWith("not valid JSON");
        }

        @Test
        void value_withSingleQuotedJson_isUnreadable() {
            Decoded.Unreadable unreadable =
                    unreadable(RequestType.SPEND, "{'requestId':'r-1','userId':'alice','amount':5}");

            assertThat(unreadable.reason()).startsWith("not valid JSON");
        }

        @ParameterizedTest(name = "trailing <{0}> makes the record unreadable")
        @ValueSource(strings = {" x", "{}", "]", "}", " {'requestId':'r-2'}", "0", "null", ","})
        void value_withTrailingGarbageAfterTheObject_isUnreadable(String trailing) {
            Decoded.Unreadable unreadable = unreadable(RequestType.SPEND,
                    json("{'requestId':'r-1','userId':'alice','amount':5}" + trailing));

            assertThat(unreadable.reason()).startsWith("not valid JSON");
        }

        @Test
        void value_withDuplicateRequestId_isUnreadable() {
            Decoded.Unreadable unreadable = unreadable(RequestType.SPEND,
                    json("{'requestId':'a','requestId':'b','userId':'alice','amount':5}"));

            assertThat(unreadable.reason()).contains("Duplicate").contains("requestId");
        }

        @ParameterizedTest(name = "duplicate {0} is unreadable")
        @ValueSource(strings = {"userId", "amount", "reason", "metadata"})
        void value_withAnyOtherFieldGivenTwice_isUnreadable(String field) {
            String body = "{'requestId':'r-1','userId':'alice','amount':5,'reason':'x','metadata':{}";
            Decoded.Unreadable unreadable = unreadable(RequestType.SPEND,
                    json(body + ",'" + field + "':" + ("amount".equals(field) ? "1000" : "{}") + "}"));

            assertThat(unreadable.reason()).contains("Duplicate").contains(field);
        }

        @Test
        void value_withDuplicateKeyInsideMetadata_isUnreadable() {
            Decoded.Unreadable unreadable = unreadable(RequestType.SPEND,
                    json("{'requestId':'r-1','userId':'alice','amount':5,'metadata':{'a':1,'a':2}}"));

            assertThat(unreadable.reason()).contains("Duplicate");
        }

        @ParameterizedTest(name = "bytes {0} are unreadable")
        @ValueSource(strings = {"FF", "FE", "80", "BF", "C3", "E2 82", "F0 9F 98", "F8 88 80 80 80", "C3 28"})
        void value_withInvalidUtf8Bytes_isUnreadable(String hex) {
            byte[] body = concat(utf8("{\"requestId\":\"r-1"), bytes(hex),
                    utf8("\",\"userId\":\"alice\",\"amount\":5}"));

            Decoded decoded = decoder.decode(RequestType.SPEND, body);

            assertThat(decoded).isInstanceOf(Decoded.Unreadable.class);
        }

        @Test
        void value_withInvalidUtf8InAnIgnoredField_isUnreadable() {
            byte[] body = concat(utf8("{\"requestId\":\"r-1\",\"userId\":\"alice\",\"amount\":5,\"x\":\""),
                    bytes("FF"), utf8("\"}"));

            Decoded decoded = decoder.decode(RequestType.SPEND, body);

            assertThat(decoded).isInstanceOf(Decoded.Unreadable.class);
        }

        /**
         * RFC 3629 forbids overlong forms, encoded surrogates and code points past U+10FFFF; they are not
         * UTF-8. An overlong form is the classic way to smuggle a second spelling of the same text: here
         * {@code C0 AF} and {@code E0 80 AF} both decode to "/", so "r-1/" could be sent under two byte
         * spellings that the decoder would take for the same requestId.
         */
        @ParameterizedTest(name = "bytes {0} are unreadable")
        @ValueSource(strings = {"C0 AF", "E0 80 AF", "F0 80 80 AF", "ED A0 80", "ED BF BF", "F4 90 80 80",
            "F5 80 80 80"})
        void value_withOverlongSurrogateOrOutOfRangeUtf8_isUnreadable(String hex) {
            byte[] body = concat(utf8("{\"requestId\":\"r-1"), bytes(hex),
                    utf8("\",\"userId\":\"alice\",\"amount\":5}"));

            Decoded decoded = decoder.decode(RequestType.SPEND, body);

            assertThat(decoded).isInstanceOf(Decoded.Unreadable.class);
        }

        @Test
        void requestId_missing_isUnreadable() {
            Decoded.Unreadable unreadable = unreadable(RequestType.SPEND, json("{'userId':'alice','amount':5}"));

            assertThat(unreadable.reason()).contains("requestId");
        }

        @Test
        void requestId_null_isUnreadable() {
            Decoded.Unreadable unreadable =
                    unreadable(RequestType.SPEND, json("{'requestId':null,'userId':'alice','amount':5}"));

            assertThat(unreadable.reason()).contains("requestId");
        }

        @Test
        void requestId_empty_isUnreadable() {
            Decoded.Unreadable unreadable =
                    unreadable(RequestType.SPEND, json("{'requestId':'','userId':'alice','amount':5}"));

            assertThat(unreadable.reason()).contains("requestId");
        }

        @ParameterizedTest(name = "requestId {0} is unreadable")
        @ValueSource(strings = {"42", "0", "1.5", "true", "['r-1']", "{'id':'r-1'}"})
        void requestId_thatIsNotAString_isUnreadable(String requestId) {
            Decoded.Unreadable unreadable = unreadable(RequestType.SPEND,
                    json("{'requestId':" + requestId + ",'userId':'alice','amount':5}"));

            assertThat(unreadable.reason()).contains("requestId").contains("not a string");
        }

        @Test
        void requestId_of129CodePoints_isUnreadable() {
            Decoded.Unreadable unreadable = unreadable(RequestType.SPEND,
                    json("{'requestId':'" + EMOJI.repeat(129) + "','userId':'alice','amount':5}"));

            assertThat(unreadable.reason()).contains("requestId").contains("128");
        }

        @Test
        void requestId_of129AsciiCharacters_isUnreadable() {
            Decoded.Unreadable unreadable = unreadable(RequestType.SPEND,
                    json("{'requestId':'" + "r".repeat(129) + "','userId':'alice','amount':5}"));

            assertThat(unreadable.reason()).contains("requestId");
        }

        @Test
        void requestId_missing_isUnreadableEvenWhenOtherFieldsAreAlsoBad() {
            Decoded.Unreadable unreadable = unreadable(RequestType.EARN, json("{'userId':7,'action':[]}"));

            assertThat(unreadable.reason()).contains("requestId");
        }
    }

    @Test
    void requestId_of128CodePoints_isReadable() {
        // 128 code points are 256 UTF-16 chars: the limit counts code points, not chars.
        String requestId = EMOJI.repeat(128);

        Request request = readable(RequestType.SPEND,
                "{'requestId':'" + requestId + "','userId':'alice','amount':5}");

        assertThat(request.requestId()).isEqualTo(requestId);
    }

    @Test
    void requestId_of128AsciiCharacters_isReadable() {
        String requestId = "r".repeat(128);

        Request request = readable(RequestType.SPEND,
                "{'requestId':'" + requestId + "','userId':'alice','amount':5}");

        assertThat(request.requestId()).isEqualTo(requestId);
    }

    // ---------------------------------------------------------------- invalid requests

    @Nested
    class UserId {

        @Test
        void userId_missing_isRejectedAsInvalidRequestWithoutUser() {
            Request.Rejected rejected = rejected(RequestType.SPEND, "{'requestId':'r-1','amount':5}");

            assertInvalid(rejected, "userId");
            assertThat(rejected.userId()).isNull();
        }

        @Test
        void userId_null_isRejectedAsInvalidRequestWithoutUser() {
            Request.Rejected rejected =
                    rejected(RequestType.SPEND, "{'requestId':'r-1','userId':null,'amount':5}");

            assertInvalid(rejected, "userId");
            assertThat(rejected.userId()).isNull();
        }

        @ParameterizedTest(name = "userId {0} is rejected")
        @ValueSource(strings = {"''", "42", "0", "true", "['alice']", "{'id':'alice'}"})
        void userId_thatIsNotANonEmptyString_isRejectedAsInvalidRequestWithoutUser(String userId) {
            Request.Rejected rejected = rejected(RequestType.SPEND,
                    "{'requestId':'r-1','userId':" + userId + ",'amount':5}");

            assertInvalid(rejected, "userId");
            assertThat(rejected.userId()).isNull();
        }

        @Test
        void userId_of129CodePoints_isRejectedAsInvalidRequestWithoutUser() {
            String user = EMOJI.repeat(129);

            Request.Rejected rejected = rejected(RequestType.SPEND,
                    "{'requestId':'r-1','userId':'" + user + "','amount':5}");

            assertInvalid(rejected, "userId");
            assertThat(rejected.userId()).isNull();
        }

        @Test
        void userId_of128CodePoints_isAccepted() {
            String user = EMOJI.repeat(128);

            Decoded decoded = decoder.decode(RequestType.SPEND,
                    utf8(json("{'requestId':'r-1','userId':'" + user + "','amount':5}")));

            assertThat(decoded).isEqualTo(new Decoded.Readable(new Request.Spend("r-1", user, "coins", 5, null, null)));
        }

        /**
         * "\ud800" is legal JSON syntax but names no character, so the userId has no UTF-8 form:
         * String.getBytes(UTF_8) turns the lone surrogate into "?", so such a request would be routed,
         * keyed and stored as user "?", a user that it does not name.
         */
        @Test
        void userId_withALoneSurrogateEscape_isRejectedBecauseItHasNoUtf8Form() {
            Decoded decoded = decoder.decode(RequestType.SPEND,
                    utf8(json("{'requestId':'r-1','userId':'\\ud800','amount':5}")));

            Request.Rejected rejected = rejection(decoded);
            assertThat(rejected.code()).isEqualTo(ResultCode.INVALID_REQUEST);
            assertThat(rejected.userId()).as("no user to route it to").isNull();
        }
    }

    @Nested
    class Amount {

        @Test
        void spend_withAmountMissing_isRejectedAsInvalidRequest() {
            Request.Rejected rejected = rejected(RequestType.SPEND, "{'requestId':'r-1','userId':'alice'}");

            assertInvalid(rejected, "amount");
            assertThat(rejected.amount()).isNull();
            assertThat(rejected.userId()).isEqualTo(ALICE);
        }

        @Test
        void spend_withAmountNull_isRejectedAsInvalidRequest() {
            Request.Rejected rejected =
                    rejected(RequestType.SPEND, "{'requestId':'r-1','userId':'alice','amount':null}");

            assertInvalid(rejected, "amount");
            assertThat(rejected.amount()).isNull();
        }

        @ParameterizedTest(name = "amount {0} is rejected")
        @ValueSource(strings = {"1.5", "120.0", "1.0", "0.5", "1e2", "1E2", "1.2e2", "1000000000.0"})
        void spend_withFractionalAmount_isRejectedAsInvalidRequest(String amount) {
            assertRejectedAmount(amount);
        }

        @ParameterizedTest(name = "amount {0} is rejected")
        @ValueSource(strings = {"'120'", "'1'", "''", "'abc'", "[120]", "[]", "{'value':120}", "{}", "true",
            "false"})
        void spend_withAmountThatIsNotANumber_isRejectedAsInvalidRequest(String amount) {
            assertRejectedAmount(amount);
        }

        @ParameterizedTest(name = "amount {0} is rejected")
        @ValueSource(strings = {"0", "-0", "-1", "-120", "1000000001", "2147483648", "9223372036854775807",
            "-9223372036854775808"})
        void spend_withAmountOutOfRange_isRejectedAsInvalidRequest(String amount) {
            assertRejectedAmount(amount);
        }

        @ParameterizedTest(name = "amount {0} is rejected")
        @ValueSource(strings = {"9223372036854775808", "99999999999999999999", "-99999999999999999999",
            "18446744073709551736"}) // the last is 2^64 + 120: its low 64 bits are 120
        void spend_withAmountPast64Bits_isRejectedAsInvalidRequest(String amount) {
            assertRejectedAmount(amount);
        }

        private void assertRejectedAmount(String amount) {
            Request.Rejected rejected = rejected(RequestType.SPEND,
                    "{'requestId':'r-1','userId':'alice','amount':" + amount + "}");

            assertInvalid(rejected, "amount");
            assertThat(rejected.message()).contains("1000000000");
            assertThat(rejected.amount()).isNull();
            assertThat(rejected.userId()).isEqualTo(ALICE);
            assertThat(rejected.type()).isEqualTo(RequestType.SPEND);
        }
    }

    @Nested
    class Action {

        @Test
        void earn_withUnknownAction_isRejectedAsUnknownActionWithoutAmount() {
            Request.Rejected rejected = rejected(RequestType.EARN,
                    "{'requestId':'r-1','userId':'alice','action':'tournament_win','reason':'x'}");

            assertThat(rejected.code()).isEqualTo(ResultCode.UNKNOWN_ACTION);
            assertThat(rejected.message()).contains("action").contains("tournament_win");
            assertThat(rejected.amount()).isNull();
            assertThat(rejected.userId()).isEqualTo(ALICE);
            assertThat(rejected.requestId()).isEqualTo("r-1");
            assertThat(rejected.type()).isEqualTo(RequestType.EARN);
        }

        @Test
        void earn_withActionDifferingOnlyInCase_isRejectedAsUnknownAction() {
            Request.Rejected rejected = rejected(RequestType.EARN,
                    "{'requestId':'r-1','userId':'alice','action':'Daily_Login'}");

            assertThat(rejected.code()).isEqualTo(ResultCode.UNKNOWN_ACTION);
        }

        @Test
        void earn_withActionMissing_isRejectedAsInvalidRequest() {
            Request.Rejected rejected = rejected(RequestType.EARN, "{'requestId':'r-1','userId':'alice'}");

            assertInvalid(rejected, "action");
            assertThat(rejected.userId()).isEqualTo(ALICE);
            assertThat(rejected.amount()).isNull();
        }

        @ParameterizedTest(name = "action {0} is rejected")
        @ValueSource(strings = {"null", "''", "42", "true", "['daily_login']", "{'name':'daily_login'}"})
        void earn_withActionThatIsNotANonEmptyString_isRejectedAsInvalidRequest(String action) {
            Request.Rejected rejected = rejected(RequestType.EARN,
                    "{'requestId':'r-1','userId':'alice','action':" + action + "}");

            assertInvalid(rejected, "action");
            assertThat(rejected.amount()).isNull();
        }

        @Test
        void earn_withASpendBody_isRejectedForItsMissingAction() {
            Request.Rejected rejected = rejected(RequestType.EARN,
                    "{'requestId':'r-1','userId':'alice','amount':120,'reason':'sku:sword'}");

            assertInvalid(rejected, "action");
        }

        @Test
        void spend_withAnEarnBody_isRejectedForItsMissingAmount() {
            Request.Rejected rejected = rejected(RequestType.SPEND,
                    "{'requestId':'r-1','userId':'alice','action':'daily_login'}");

            assertInvalid(rejected, "amount");
        }
    }

    @Nested
    class Reason {

        @ParameterizedTest(name = "{0} request with a non-string reason is rejected")
        @EnumSource(RequestType.class)
        void request_withReasonThatIsNotAString_isRejectedAsInvalidRequest(RequestType type) {
            for (String reason : List.of("42", "true", "['x']", "{'text':'x'}")) {
                Request.Rejected rejected = rejected(type, body(type, ",'reason':" + reason));

                assertInvalid(rejected, "reason");
                assertThat(rejected.userId()).isEqualTo(ALICE);
            }
        }

        @ParameterizedTest(name = "{0} request with 257-character reason is rejected")
        @EnumSource(RequestType.class)
        void request_withReasonOf257CodePoints_isRejectedAsInvalidRequest(RequestType type) {
            Request.Rejected rejected = rejected(type, body(type, ",'reason':'" + EMOJI.repeat(257) + "'"));

            assertInvalid(rejected, "reason");
            assertThat(rejected.message()).contains("256");
        }

        @ParameterizedTest(name = "{0} request with 257-character reason is rejected")
        @EnumSource(RequestType.class)
        void request_withReasonOf257AsciiCharacters_isRejectedAsInvalidRequest(RequestType type) {
            Request.Rejected rejected = rejected(type, body(type, ",'reason':'" + "x".repeat(257) + "'"));

            assertInvalid(rejected, "reason");
        }

        @Test
        void spend_withReasonOf256CodePoints_isAccepted() {
            String reason = EMOJI.repeat(256); // 512 UTF-16 chars

            Request request = readable(RequestType.SPEND,
                    "{'requestId':'r-1','userId':'alice','amount':5,'reason':'" + reason + "'}");

            assertThat(request).isEqualTo(new Request.Spend("r-1", ALICE, "coins", 5, reason, null));
        }

        @Test
        void earn_withEmptyReason_keepsTheEmptyReason() {
            Request request = readable(RequestType.EARN,
                    "{'requestId':'r-1','userId':'alice','action':'daily_login','reason':''}");

            assertThat(request).isEqualTo(new Request.Earn("r-1", ALICE, "coins", 10, "daily_login", "", null, null));
        }
    }

    @Nested
    class Metadata {

        private final ObjectMapper mapper = new ObjectMapper();

        @Test
        void metadata_object_isCarriedThroughAsJsonText() throws Exception {
            Request request = readable(RequestType.SPEND,
                    "{'requestId':'r-1','userId':'alice','amount':5,"
                            + "'metadata':{ 'campaign' : 'spring', 'tier':2, 'tags':['a','b'], 'n':{'x':null},"
                            + "'price':1.25, 'ok':true }}");

            assertThat(request).isInstanceOf(Request.Spend.class);
            JsonNode carried = mapper.readTree(request.metadataJson());
            assertThat(carried).isEqualTo(mapper.readTree(
                    json("{'campaign':'spring','tier':2,'tags':['a','b'],'n':{'x':null},'price':1.25,'ok':true}")));
        }

        @Test
        void metadata_onAnEarn_isCarriedThrough() throws Exception {
            Request request = readable(RequestType.EARN,
                    "{'requestId':'r-1','userId':'alice','action':'daily_login','metadata':{'level':7}}");

            assertThat(request).isInstanceOf(Request.Earn.class);
            assertThat(mapper.readTree(request.metadataJson())).isEqualTo(mapper.readTree("{\"level\":7}"));
        }

        @Test
        void metadata_emptyObject_isCarriedThrough() {
            Request request = readable(RequestType.SPEND,
                    "{'requestId':'r-1','userId':'alice','amount':5,'metadata':{}}");

            assertThat(request.metadataJson()).isEqualTo("{}");
        }

        @Test
        void metadata_absentOrNull_isNull() {
            Request absent = readable(RequestType.SPEND, "{'requestId':'r-1','userId':'alice','amount':5}");
            Request nullMetadata = readable(RequestType.SPEND,
                    "{'requestId':'r-1','userId':'alice','amount':5,'metadata':null}");

            assertThat(absent.metadataJson()).isNull();
            assertThat(nullMetadata.metadataJson()).isNull();
        }

        @ParameterizedTest(name = "metadata {0} is rejected")
        @ValueSource(strings = {"'spring'", "''", "42", "true", "[]", "[{'campaign':'spring'}]"})
        void metadata_thatIsNotAnObject_isRejectedAsInvalidRequest(String metadata) {
            Request.Rejected rejected = rejected(RequestType.SPEND,
                    "{'requestId':'r-1','userId':'alice','amount':5,'metadata':" + metadata + "}");

            assertInvalid(rejected, "metadata");
            assertThat(rejected.metadataJson()).isNull();
            assertThat(rejected.userId()).isEqualTo(ALICE);
        }

        @Test
        void metadata_ofExactly4096Bytes_isAccepted() {
            String metadata = "{'p':'" + "x".repeat(4096 - 8) + "'}"; // {"p":""} is 8 bytes

            Request request = readable(RequestType.SPEND,
                    "{'requestId':'r-1','userId':'alice','amount':5,'metadata':" + metadata + "}");

            assertThat(request).isInstanceOf(Request.Spend.class);
            assertThat(utf8(request.metadataJson())).hasSize(4096);
        }

        @Test
        void metadata_of4097Bytes_isRejectedAsInvalidRequest() {
            String metadata = "{'p':'" + "x".repeat(4097 - 8) + "'}";

            Request.Rejected rejected = rejected(RequestType.SPEND,
                    "{'requestId':'r-1','userId':'alice','amount':5,'metadata':" + metadata + "}");

            assertInvalid(rejected, "metadata");
            assertThat(rejected.message()).contains("4096");
            assertThat(rejected.metadataJson()).isNull();
        }

        @Test
        void metadata_limit_countsUtf8BytesNotCharacters() {
            // 2045 x "é" is 2045 chars but 4090 bytes: with {"p":""} it is 4098 bytes of JSON.
            String metadata = "{'p':'" + "\u00e9".repeat(2045) + "'}";

            Request.Rejected rejected = rejected(RequestType.SPEND,
                    "{'requestId':'r-1','userId':'alice','amount':5,'metadata':" + metadata + "}");

            assertInvalid(rejected, "metadata");
        }

        @Test
        void metadata_ofExactly4096BytesOfMultiByteCharacters_isAccepted() {
            String metadata = "{'p':'" + "\u00e9".repeat(2044) + "'}"; // 8 + 4088 bytes

            Request request = readable(RequestType.SPEND,
                    "{'requestId':'r-1','userId':'alice','amount':5,'metadata':" + metadata + "}");

            assertThat(request).isInstanceOf(Request.Spend.class);
        }

        @Test
        void metadata_validButAnotherFieldBad_isCarriedIntoTheRejection() throws Exception {
            Request.Rejected rejected = rejected(RequestType.SPEND,
                    "{'requestId':'r-1','userId':'alice','amount':1.5,'metadata':{'campaign':'spring'}}");

            assertInvalid(rejected, "amount");
            assertThat(mapper.readTree(rejected.metadataJson())).isEqualTo(mapper.readTree("{\"campaign\":\"spring\"}"));
        }

        @Test
        void metadata_onAnEarnWithUnknownAction_isCarriedIntoTheRejection() throws Exception {
            Request.Rejected rejected = rejected(RequestType.EARN,
                    "{'requestId':'r-1','userId':'alice','action':'nope','metadata':{'campaign':'spring'}}");

            assertThat(rejected.code()).isEqualTo(ResultCode.UNKNOWN_ACTION);
            assertThat(mapper.readTree(rejected.metadataJson())).isEqualTo(mapper.readTree("{\"campaign\":\"spring\"}"));
        }
    }

    // ---------------------------------------------------------------- the Rejected value itself

    @Test
    void rejection_keepsRequestIdAndTypeOfTheRecord() {
        Request.Rejected earn = rejected(RequestType.EARN, "{'requestId':'e-9','userId':'alice'}");
        Request.Rejected spend = rejected(RequestType.SPEND, "{'requestId':'s-9','userId':'alice'}");

        assertThat(earn.requestId()).isEqualTo("e-9");
        assertThat(earn.type()).isEqualTo(RequestType.EARN);
        assertThat(spend.requestId()).isEqualTo("s-9");
        assertThat(spend.type()).isEqualTo(RequestType.SPEND);
    }

    @Test
    void rejection_afterAValidUserId_keepsTheUserId() {
        Request.Rejected rejected = rejected(RequestType.SPEND,
                "{'requestId':'r-1','userId':'alice','amount':'120'}");

        assertThat(rejected.userId()).isEqualTo(ALICE);
    }

    // ---------------------------------------------------------------- helpers

    /** Decodes a body and expects a readable request. */
    private Request readable(RequestType type, String singleQuotedJson) {
        Decoded decoded = decoder.decode(type, utf8(json(singleQuotedJson)));
        assertThat(decoded).isInstanceOf(Decoded.Readable.class);
        return ((Decoded.Readable) decoded).request();
    }

    private Request.Rejected rejected(RequestType type, String singleQuotedJson) {
        return rejection(decoder.decode(type, utf8(json(singleQuotedJson))));
    }

    private static Request.Rejected rejection(Decoded decoded) {
        assertThat(decoded).isInstanceOf(Decoded.Readable.class);
        Request request = ((Decoded.Readable) decoded).request();
        assertThat(request).isInstanceOf(Request.Rejected.class);
        return (Request.Rejected) request;
    }

    /** Decodes exact JSON text (no quote rewriting) and expects it to be unreadable. */
    private Decoded.Unreadable unreadable(RequestType type, String exactJson) {
        Decoded decoded = decoder.decode(type, utf8(exactJson));
        assertThat(decoded).isInstanceOf(Decoded.Unreadable.class);
        return (Decoded.Unreadable) decoded;
    }

    private static void assertInvalid(Request.Rejected rejected, String field) {
        assertThat(rejected.code()).isEqualTo(ResultCode.INVALID_REQUEST);
        assertThat(rejected.message()).contains(field);
    }

    /** A valid body of the given type with {@code extraFields} (starting with a comma) appended. */
    private static String body(RequestType type, String extraFields) {
        String fields = type == RequestType.EARN ? "'action':'daily_login'" : "'amount':5";
        return "{'requestId':'r-1','userId':'alice'," + fields + extraFields + "}";
    }

    private static String json(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String hex) {
        String[] parts = hex.split(" ");
        byte[] out = new byte[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        return out;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
