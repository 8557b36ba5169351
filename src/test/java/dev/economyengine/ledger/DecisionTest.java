package dev.economyengine.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DecisionTest {

    private static final long CAP = 1_000_000_000L;

    @Test
    void earn_withinCap_isAcceptedWithTheNewBalance() {
        Decision decision = Decision.decide(earn(50), 100, CAP);

        assertThat(decision).isEqualTo(new Decision.Accept(50, 150));
    }

    @Test
    void earn_reachingExactlyTheCap_isAccepted() {
        Decision decision = Decision.decide(earn(1_000), CAP - 1_000, CAP);

        assertThat(decision).isEqualTo(new Decision.Accept(1_000, CAP));
    }

    @Test
    void earn_ofTheLargestAmountOnAnEmptyBalance_isAccepted() {
        assertThat(Decision.decide(earn(CAP), 0, CAP)).isEqualTo(new Decision.Accept(CAP, CAP));
    }

    @Test
    void earn_oneCoinPastTheCap_isRejectedWithBalanceCapExceededAndTheAmount() {
        Decision decision = Decision.decide(earn(1_000), CAP - 999, CAP);

        assertThat(decision).isInstanceOf(Decision.Reject.class);
        Decision.Reject reject = (Decision.Reject) decision;
        assertThat(reject.code()).isEqualTo(ResultCode.BALANCE_CAP_EXCEEDED);
        assertThat(reject.amount()).isEqualTo(1_000L);
        assertThat(reject.message()).contains("1000").contains(Long.toString(CAP));
    }

    @Test
    void earn_onAFullBalance_isRejectedWithBalanceCapExceeded() {
        Decision decision = Decision.decide(earn(1), CAP, CAP);

        assertThat(decision).isInstanceOf(Decision.Reject.class);
        assertThat(((Decision.Reject) decision).code()).isEqualTo(ResultCode.BALANCE_CAP_EXCEEDED);
    }

    @Test
    void spend_lessThanTheBalance_isAcceptedWithTheRemainder() {
        assertThat(Decision.decide(spend(30), 100, CAP)).isEqualTo(new Decision.Accept(30, 70));
    }

    @Test
    void spend_ofExactlyTheBalance_isAcceptedDownToZero() {
        assertThat(Decision.decide(spend(100), 100, CAP)).isEqualTo(new Decision.Accept(100, 0));
    }

    @Test
    void spend_moreThanTheBalance_isRejectedWithInsufficientBalanceAndTheAmount() {
        Decision decision = Decision.decide(spend(101), 100, CAP);

        assertThat(decision).isInstanceOf(Decision.Reject.class);
        Decision.Reject reject = (Decision.Reject) decision;
        assertThat(reject.code()).isEqualTo(ResultCode.INSUFFICIENT_BALANCE);
        assertThat(reject.amount()).isEqualTo(101L);
        assertThat(reject.message()).contains("100").contains("101");
    }

    @Test
    void spend_onAnEmptyBalance_isRejectedWithInsufficientBalance() {
        Decision decision = Decision.decide(spend(1), 0, CAP);

        assertThat(decision).isInstanceOf(Decision.Reject.class);
        assertThat(((Decision.Reject) decision).code()).isEqualTo(ResultCode.INSUFFICIENT_BALANCE);
    }

    @Test
    void rejectedRequest_passesItsCodeMessageAndAmountWhateverTheBalance() {
        Request rejected = new Request.Rejected("r1", "alice", RequestType.EARN, null, ResultCode.UNKNOWN_ACTION,
                "no rule for action 'fly'", 5L, null);

        assertThat(Decision.decide(rejected, 0, CAP))
                .isEqualTo(new Decision.Reject(ResultCode.UNKNOWN_ACTION, "no rule for action 'fly'", 5L));
        assertThat(Decision.decide(rejected, CAP, CAP))
                .isEqualTo(new Decision.Reject(ResultCode.UNKNOWN_ACTION, "no rule for action 'fly'", 5L));
    }

    @Test
    void rejectedRequest_withNoAmount_passesANullAmount() {
        Request rejected = new Request.Rejected("r1", null, RequestType.SPEND, null, ResultCode.INVALID_REQUEST,
                "amount is missing", null, null);

        assertThat(Decision.decide(rejected, 0, CAP))
                .isEqualTo(new Decision.Reject(ResultCode.INVALID_REQUEST, "amount is missing", null));
    }

    @ParameterizedTest
    @ValueSource(longs = {-1, Money.MAX_CAP + 1})
    void decide_withAStoredBalanceOutOfRange_refusesToDecide(long balance) {
        assertThatThrownBy(() -> Decision.decide(spend(1), balance, CAP))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(Long.toString(balance));
    }

    private static Request earn(long amount) {
        return new Request.Earn("r1", "alice", amount, "quest", null);
    }

    private static Request spend(long amount) {
        return new Request.Spend("r1", "alice", amount, "sku:sword", null);
    }
}
