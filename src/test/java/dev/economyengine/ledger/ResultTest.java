package dev.economyengine.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ResultTest {

    private static final Instant AT = Instant.parse("2024-05-01T12:00:00.123Z");
    private static final Request EARN = new Request.Earn("r1", "alice", 40, "quest", "{\"level\":3}");

    @Test
    void accepted_carriesTheRequestAndTheTransaction() {
        Result result = Result.accepted(EARN, "coins", 40, 140, "0-7", AT);

        assertThat(result.requestId()).isEqualTo("r1");
        assertThat(result.userId()).isEqualTo("alice");
        assertThat(result.type()).isEqualTo(RequestType.EARN);
        assertThat(result.status()).isEqualTo(Status.ACCEPTED);
        assertThat(result.code()).isEqualTo(ResultCode.OK);
        assertThat(result.isAccepted()).isTrue();
        assertThat(result.amount()).isEqualTo(40L);
        assertThat(result.balance()).isEqualTo(140);
        assertThat(result.transactionId()).isEqualTo("0-7");
        assertThat(result.message()).isNull();
        assertThat(result.metadataJson()).isEqualTo("{\"level\":3}");
        assertThat(result.processedAt()).isEqualTo(AT);
        assertThat(result.duplicate()).isFalse();
    }

    @Test
    void rejected_carriesItsCodeAndMessageAndNoTransaction() {
        Request spend = new Request.Spend("r2", "alice", 500, "sku:sword", null);

        Result result = Result.rejected(spend, "coins", ResultCode.INSUFFICIENT_BALANCE, "balance 100 is less than 500",
                500L, 100, null, AT);

        assertThat(result.status()).isEqualTo(Status.REJECTED);
        assertThat(result.isAccepted()).isFalse();
        assertThat(result.code()).isEqualTo(ResultCode.INSUFFICIENT_BALANCE);
        assertThat(result.message()).isEqualTo("balance 100 is less than 500");
        assertThat(result.amount()).isEqualTo(500L);
        assertThat(result.balance()).isEqualTo(100);
        assertThat(result.transactionId()).isNull();
        assertThat(result.type()).isEqualTo(RequestType.SPEND);
        assertThat(result.duplicate()).isFalse();
    }

    @Test
    void accepted_withoutATransactionId_isRefused() {
        assertThatThrownBy(() -> result(Status.ACCEPTED, ResultCode.OK, 40L, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("transaction");
    }

    @Test
    void accepted_withoutAnAmount_isRefused() {
        assertThatThrownBy(() -> result(Status.ACCEPTED, ResultCode.OK, null, "0-1", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("amount");
    }

    @Test
    void rejected_withoutAMessage_isRefused() {
        assertThatThrownBy(() -> result(Status.REJECTED, ResultCode.INSUFFICIENT_BALANCE, 40L, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("message");
    }

    @Test
    void rejected_withATransactionId_isRefused() {
        assertThatThrownBy(() -> result(Status.REJECTED, ResultCode.INSUFFICIENT_BALANCE, 40L, "0-1", "short"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no transaction");
    }

    @ParameterizedTest
    @EnumSource(value = ResultCode.class, names = "OK", mode = EnumSource.Mode.EXCLUDE)
    void accepted_withARejectionCode_isRefused(ResultCode code) {
        assertThatThrownBy(() -> result(Status.ACCEPTED, code, 40L, "0-1", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ACCEPTED")
                .hasMessageContaining(code.name());
    }

    @Test
    void rejected_withCodeOk_isRefused() {
        assertThatThrownBy(() -> result(Status.REJECTED, ResultCode.OK, 40L, null, "why"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("REJECTED")
                .hasMessageContaining("OK");
    }

    @Test
    void result_withoutItsRequiredFields_isRefused() {
        assertThatThrownBy(() -> new Result(null, "alice", RequestType.EARN, Status.ACCEPTED, ResultCode.OK, 1L, "coins", 1,
                "0-1", null, null, null, AT, false)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new Result("r1", "alice", null, Status.ACCEPTED, ResultCode.OK, 1L, "coins", 1,
                "0-1", null, null, null, AT, false)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new Result("r1", "alice", RequestType.EARN, null, ResultCode.OK, 1L, "coins", 1,
                "0-1", null, null, null, AT, false)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new Result("r1", "alice", RequestType.EARN, Status.ACCEPTED, null, 1L, "coins", 1,
                "0-1", null, null, null, AT, false)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new Result("r1", "alice", RequestType.EARN, Status.ACCEPTED, ResultCode.OK, 1L, "coins", 1,
                "0-1", null, null, null, null, false)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void rejected_withNoUserAndNoAmount_isAllowed() {
        Request unreadable = new Request.Rejected("r3", null, RequestType.EARN, null, ResultCode.INVALID_REQUEST,
                "userId is missing", null, null);

        Result result = Result.rejected(unreadable, "coins", ResultCode.INVALID_REQUEST, "userId is missing", null, 0, null, AT);

        assertThat(result.userId()).isNull();
        assertThat(result.amount()).isNull();
        assertThat(result.balance()).isZero();
    }

    @Test
    void asDuplicate_onlyFlipsDuplicate() {
        Result accepted = Result.accepted(EARN, "coins", 40, 140, "0-7", AT);
        Result rejected = Result.rejected(EARN, "coins", ResultCode.BALANCE_CAP_EXCEEDED, "full", 40L, 1_000_000_000L, null, AT);

        for (Result original : new Result[] {accepted, rejected}) {
            Result duplicate = original.asDuplicate();

            assertThat(duplicate.duplicate()).isTrue();
            assertThat(duplicate).usingRecursiveComparison().ignoringFields("duplicate").isEqualTo(original);
            assertThat(duplicate).isNotEqualTo(original);
            assertThat(original.duplicate()).isFalse();
            assertThat(duplicate.asDuplicate()).isEqualTo(duplicate);
        }
    }

    private static Result result(Status status, ResultCode code, Long amount, String transactionId, String message) {
        return new Result("r1", "alice", RequestType.EARN, status, code, amount, "coins", 100, transactionId, message, null, null,
                AT, false);
    }
}
