package dev.economyengine.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.economyengine.ledger.Currency;
import dev.economyengine.ledger.EarningRule;
import dev.economyengine.ledger.Economy;
import dev.economyengine.ledger.Request;
import dev.economyengine.ledger.RequestType;
import dev.economyengine.ledger.ResultCode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The currency of a request: a spend's is the one it names (the default if none), an earn's its rule's. */
class RequestDecoderCurrencyTest {
    private static final Economy ECONOMY = new Economy("coins",
            List.of(new Currency("coins", 1_000_000_000L), new Currency("gems", 1_000L)),
            List.of(new EarningRule("daily_login", "coins", 10, BigDecimal.ONE, List.of()),
                    new EarningRule("first_purchase", "gems", 100, new BigDecimal("1.5"), List.of())));

    private final RequestDecoder decoder = new RequestDecoder(ECONOMY);

    @ParameterizedTest(name = "currency field <{0}>")
    @ValueSource(strings = {"", ",'currency':null"})
    void spend_namingNoCurrency_isInTheDefaultCurrency(String currencyField) {
        assertThat(decode(RequestType.SPEND, "{'requestId':'r-1','userId':'alice','amount':5" + currencyField + "}"))
                .isEqualTo(new Request.Spend("r-1", "alice", "coins", 5, null, null));
    }

    @Test
    void spend_namingACurrencyOfTheEconomy_isInThatCurrency() {
        assertThat(decode(RequestType.SPEND, "{'requestId':'r-1','userId':'alice','amount':1000,'currency':'gems'}"))
                .isEqualTo(new Request.Spend("r-1", "alice", "gems", 1_000, null, null));
    }

    @Test
    void spend_ofMoreThanItsCurrencysCap_isInvalidNamingThatCap_inThatCurrency() {
        Request.Rejected rejected = rejected(RequestType.SPEND,
                "{'requestId':'r-1','userId':'alice','amount':1001,'currency':'gems'}");

        assertThat(rejected.code()).isEqualTo(ResultCode.INVALID_REQUEST);
        assertThat(rejected.message()).isEqualTo("amount must be a whole number from 1 to 1000");
        assertThat(rejected.currency()).isEqualTo("gems");
    }

    @Test
    void spend_inACurrencyTheEconomyLacks_isRejectedAsUnknownCurrency_withNoCurrencyAndTheAmountAsked() {
        Request.Rejected rejected = rejected(RequestType.SPEND,
                "{'requestId':'r-1','userId':'alice','amount':5,'currency':'diamonds'}");

        assertThat(rejected.code()).isEqualTo(ResultCode.UNKNOWN_CURRENCY);
        assertThat(rejected.message()).isEqualTo("no currency 'diamonds' in the economy [coins, gems]");
        assertThat(rejected.currency()).isNull();
        assertThat(rejected.amount()).isEqualTo(5L);
    }

    @ParameterizedTest(name = "currency {0}")
    @ValueSource(strings = {"'Coins'", "''", "'coins '", "'gems2'"})
    void spend_inACurrencyThatIsNoneOfTheEconomys_isRejectedAsUnknownCurrency(String currency) {
        Request.Rejected rejected = rejected(RequestType.SPEND,
                "{'requestId':'r-1','userId':'alice','amount':5,'currency':" + currency + "}");

        assertThat(rejected.code()).isEqualTo(ResultCode.UNKNOWN_CURRENCY);
    }

    @Test
    void spend_inAnUnknownCurrencyWithAHugeCode_hasAShortMessage() {
        Request.Rejected rejected = rejected(RequestType.SPEND,
                "{'requestId':'r-1','userId':'alice','amount':5,'currency':'" + "x".repeat(10_000) + "'}");

        assertThat(rejected.message()).hasSizeLessThan(120).contains("xxx...");
    }

    @ParameterizedTest(name = "currency {0}")
    @ValueSource(strings = {"5", "true", "['gems']", "{'code':'gems'}"})
    void spend_withACurrencyThatIsNotAString_isInvalid_withNoCurrency(String currency) {
        Request.Rejected rejected = rejected(RequestType.SPEND,
                "{'requestId':'r-1','userId':'alice','amount':5,'currency':" + currency + "}");

        assertThat(rejected.code()).isEqualTo(ResultCode.INVALID_REQUEST);
        assertThat(rejected.message()).contains("currency must be a string");
        assertThat(rejected.currency()).isNull();
    }

    @Test
    void earn_isInItsRulesCurrency_whateverCurrencyItNames() {
        assertThat(decode(RequestType.EARN,
                "{'requestId':'r-1','userId':'alice','action':'first_purchase','currency':'coins','amount':5}"))
                .isEqualTo(new Request.Earn("r-1", "alice", "gems", 150, "first_purchase", "first_purchase", null, null));
    }

    @Test
    void earnOrSpend_refusedForABadField_isInTheCurrencyItWouldHaveMoved() {
        assertThat(rejected(RequestType.EARN, "{'requestId':'r-1','userId':'alice','action':'first_purchase',"
                + "'reason':5}").currency()).isEqualTo("gems");
        assertThat(rejected(RequestType.EARN, "{'requestId':'r-1','userId':'alice','action':'fly','reason':5}")
                .currency()).isNull();
        assertThat(rejected(RequestType.SPEND, "{'requestId':'r-1','userId':'alice','amount':5,'currency':'gems',"
                + "'reason':5}").currency()).isEqualTo("gems");
        assertThat(rejected(RequestType.SPEND, "{'requestId':'r-1','userId':'alice','amount':5,'reason':5}")
                .currency()).isEqualTo("coins");
        assertThat(rejected(RequestType.EARN, "{'requestId':'r-1','userId':'alice','action':'fly'}").currency())
                .as("an unknown action names no currency").isNull();
    }

    private Request decode(RequestType type, String singleQuotedJson) {
        Decoded decoded = decoder.decode(type, singleQuotedJson.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
        assertThat(decoded).isInstanceOf(Decoded.Readable.class);
        return ((Decoded.Readable) decoded).request();
    }

    private Request.Rejected rejected(RequestType type, String singleQuotedJson) {
        Request request = decode(type, singleQuotedJson);
        assertThat(request).isInstanceOf(Request.Rejected.class);
        return (Request.Rejected) request;
    }
}
