package dev.economyengine.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CommitPolicyTest {
    private static final long MS = 1_000_000;
    private final CommitPolicy policy = new CommitPolicy(Duration.ofMillis(10), 100);

    @ParameterizedTest(name = "{0} records, opened {1} ms ago: commit in {2} ms")
    @CsvSource({
        "1, 0, 10",
        "1, 4, 6",
        "99, 9, 1",
        "1, 10, 0",
        "1, 250, 0",
        "100, 0, 0",
        "5000, 0, 0",
    })
    void aTransactionCommits_whenItsOldestHasWaitedTheDelay_orItHoldsEnoughRecords(int records, long openedMsAgo,
            long dueInMs) {
        long now = 1_000 * MS;

        assertThat(policy.nanosUntilCommit(records, now - openedMsAgo * MS, now)).isEqualTo(dueInMs * MS);
        assertThat(policy.commitsNow(records, now - openedMsAgo * MS, now)).isEqualTo(dueInMs == 0);
    }

    @Test
    void anEmptyTransaction_isNeverDue() {
        assertThat(policy.nanosUntilCommit(0, 0, Long.MAX_VALUE / 2)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void everyPoll_commitsWhateverItHolds_atOnce() {
        assertThat(CommitPolicy.EVERY_POLL.commitsNow(1, 0, 0)).isTrue();
    }

    @Test
    void aNegativeDelayOrNoRecords_isRefused() {
        assertThatThrownBy(() -> new CommitPolicy(Duration.ofMillis(-1), 1)).hasMessageContaining("maxDelay");
        assertThatThrownBy(() -> new CommitPolicy(Duration.ZERO, 0)).hasMessageContaining("maxRecords");
    }
}
