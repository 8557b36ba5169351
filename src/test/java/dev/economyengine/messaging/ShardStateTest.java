package dev.economyengine.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ShardStateTest {

    @Test
    void theWayToLive_goesThroughOffsetsThenTheChangelogThenTheRestore() {
        ShardLifecycle shard = shard();

        for (ShardState next : List.of(ShardState.AWAITING_COMMITTED_OFFSETS, ShardState.AWAITING_STABLE_CHANGELOG,
                ShardState.RESTORING, ShardState.LIVE)) {
            shard.transitionTo(next, "test");
        }

        assertThat(shard.state()).isEqualTo(ShardState.LIVE);
    }

    @ParameterizedTest
    @EnumSource(value = ShardState.class, names = {"ASSIGNED", "AWAITING_STABLE_CHANGELOG", "FAILED", "CLOSING",
            "CLOSED"})
    void live_isReachedOnlyFromRestoring(ShardState from) {
        assertThat(from.canGoTo(ShardState.LIVE)).isFalse();
    }

    @Test
    void aShardThatIsNotLive_offersNoFileToReaders_evenWhenItsFileIsOpen() {
        ShardLifecycle shard = shard();
        shard.transitionTo(ShardState.AWAITING_COMMITTED_OFFSETS, "test");
        shard.transitionTo(ShardState.AWAITING_STABLE_CHANGELOG, "test");
        shard.transitionTo(ShardState.RESTORING, "test");

        assertThat(shard.liveStore()).isEmpty();
    }

    @Test
    void anInvalidTransition_isRefusedNamingBothStates() {
        ShardLifecycle shard = shard();

        assertThatThrownBy(() -> shard.transitionTo(ShardState.RESTORING, "skipping the offsets"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("shard 3 cannot go from ASSIGNED to RESTORING");
        assertThat(shard.state()).isEqualTo(ShardState.ASSIGNED);
    }

    @ParameterizedTest
    @EnumSource(value = ShardState.class, names = {"CLOSING", "CLOSED"}, mode = EnumSource.Mode.EXCLUDE)
    void everyStateBeforeClosing_canBeClosed_andClosedIsFinal(ShardState from) {
        assertThat(from.canGoTo(ShardState.CLOSING)).isTrue();
        assertThat(ShardState.CLOSED.canGoTo(from)).isFalse();
    }

    @Test
    void aFailedShard_goesRoundAgainThroughTheCommittedOffsets_orCloses() {
        Set<ShardState> fromFailed = EnumSet.allOf(ShardState.class);
        fromFailed.removeIf(state -> !ShardState.FAILED.canGoTo(state));

        assertThat(fromFailed).containsExactlyInAnyOrder(ShardState.AWAITING_COMMITTED_OFFSETS, ShardState.CLOSING);
    }

    private static ShardLifecycle shard() {
        return new ShardLifecycle(3, List.of(new TopicPartition("earn", 3), new TopicPartition("spend", 3)),
                new PartitionMerger(0));
    }
}
