package dev.economyengine.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestTest {

    private static final String EMOJI = "😀"; // one code point, two UTF-16 chars

    @Test
    void ids_ofOneTo128CodePoints_areAccepted() {
        String emoji128 = EMOJI.repeat(128);
        assertThat(emoji128.length()).isEqualTo(256);

        assertThat(new Request.Earn(emoji128, emoji128, 1, null, null).requestId()).isEqualTo(emoji128);
        assertThat(new Request.Spend("a".repeat(128), "b".repeat(128), 1, null, null).userId())
                .isEqualTo("b".repeat(128));
        assertThat(new Request.Earn("r", "u", 1, null, null).userId()).isEqualTo("u");
        assertThat(Request.isValidId(emoji128)).isTrue();
    }

    @Test
    void ids_of129CodePoints_areRefused() {
        String emoji129 = EMOJI.repeat(129);
        String ascii129 = "a".repeat(129);

        assertThatThrownBy(() -> new Request.Earn(emoji129, "alice", 1, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("requestId");
        assertThatThrownBy(() -> new Request.Spend("r1", ascii129, 1, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("userId");
        assertThatThrownBy(() -> new Request.Earn("r1", emoji129, 1, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("userId");
        assertThatThrownBy(() -> new Request.Rejected(ascii129, null, RequestType.EARN, null,
                ResultCode.INVALID_REQUEST, "bad", null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("requestId");
        assertThat(Request.isValidId(emoji129)).isFalse();
    }

    @Test
    void ids_thatAreEmptyOrMissing_areRefused() {
        assertThatThrownBy(() -> new Request.Earn("", "alice", 1, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("requestId");
        assertThatThrownBy(() -> new Request.Earn(null, "alice", 1, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("requestId");
        assertThatThrownBy(() -> new Request.Spend("r1", "", 1, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("userId");
        assertThatThrownBy(() -> new Request.Spend("r1", null, 1, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("userId");
        assertThatThrownBy(() -> new Request.Rejected("", null, RequestType.SPEND, null,
                ResultCode.INVALID_REQUEST, "bad", null, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1, 1_000_000_000_000_001L, Long.MIN_VALUE})
    void earnAndSpend_withAnInvalidAmount_areRefused(long amount) {
        assertThatThrownBy(() -> new Request.Earn("r1", "alice", amount, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Long.toString(amount));
        assertThatThrownBy(() -> new Request.Spend("r1", "alice", amount, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Long.toString(amount));
    }

    @Test
    void earnAndSpend_ofOneToTheLargestAmount_areAccepted() {
        assertThat(new Request.Earn("r1", "alice", 1, null, null).amount()).isEqualTo(1);
        assertThat(new Request.Spend("r1", "alice", 1_000_000_000L, null, null).amount()).isEqualTo(1_000_000_000L);
        assertThat(new Request.Earn("r1", "alice", 1, null, null).type()).isEqualTo(RequestType.EARN);
        assertThat(new Request.Spend("r1", "alice", 1, null, null).type()).isEqualTo(RequestType.SPEND);
    }

    @Test
    void rejected_withCodeOkOrNoCode_isRefused() {
        assertThatThrownBy(() -> new Request.Rejected("r1", "alice", RequestType.EARN, null, ResultCode.OK, "fine", null,
                null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("OK");
        assertThatThrownBy(() -> new Request.Rejected("r1", "alice", RequestType.EARN, null, null, "why", null, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejected_withoutAMessageOrType_isRefused() {
        assertThatThrownBy(() -> new Request.Rejected("r1", "alice", RequestType.EARN, null,
                ResultCode.UNKNOWN_ACTION, null, null, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new Request.Rejected("r1", "alice", null, null,
                ResultCode.UNKNOWN_ACTION, "why", null, null)).isInstanceOf(NullPointerException.class);
    }
}
