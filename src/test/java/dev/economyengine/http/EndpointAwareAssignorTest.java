package dev.economyengine.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.economyengine.messaging.EndpointAwareAssignor;
import dev.economyengine.messaging.EndpointAwareAssignor.PartitionOwners;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Assignment;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.GroupAssignment;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The assignor on its own: range semantics kept, every member told every partition's owner URL. */
class EndpointAwareAssignorTest {
    private final PartitionOwners ownersA = new PartitionOwners();
    private final PartitionOwners ownersB = new PartitionOwners();

    @Test
    void assignment_keepsRangeSemantics_partitionPOfBothRequestTopicsOnOneMember() {
        GroupAssignment assignment = new SimulatedGroup(4)
                .member("a", "http://a:8080", ownersA)
                .member("b", "http://b:8080", ownersB)
                .rebalance();

        assertThat(assignment.groupAssignment().get("a").partitions()).containsExactlyInAnyOrder(
                tp("earn", 0), tp("earn", 1), tp("spend", 0), tp("spend", 1));
        assertThat(assignment.groupAssignment().get("b").partitions()).containsExactlyInAnyOrder(
                tp("earn", 2), tp("earn", 3), tp("spend", 2), tp("spend", 3));
    }

    @Test
    void everyMember_learnsTheOwnerUrlOfEveryPartition() {
        new SimulatedGroup(4)
                .member("a", "http://a:8080", ownersA)
                .member("b", "http://b:8080", ownersB)
                .rebalance();

        Map<Integer, String> expected = Map.of(0, "http://a:8080", 1, "http://a:8080", 2, "http://b:8080",
                3, "http://b:8080");
        assertThat(ownersA.owners()).isEqualTo(expected);
        assertThat(ownersB.owners()).isEqualTo(expected);
        assertThat(ownersA.settled()).isTrue();
        assertThat(ownersB.ownerOf(3)).contains("http://b:8080");
    }

    @Test
    void rebalanceStarting_forgetsTheOwnersUntilTheNextAssignment() {
        SimulatedGroup group = new SimulatedGroup(2).member("a", "http://a:8080", ownersA);
        group.rebalance();

        group.beginRebalance();

        assertThat(ownersA.settled()).isFalse();
        assertThat(ownersA.ownerOf(0)).isEmpty();
        group.rebalance();
        assertThat(ownersA.ownerOf(0)).contains("http://a:8080");
    }

    @Test
    void memberThatAdvertisesNoUrl_ownsPartitionsNobodyIsSentTo() {
        new SimulatedGroup(4)
                .member("a", "http://a:8080", ownersA)
                .member("b", null, ownersB)
                .rebalance();

        assertThat(ownersA.owners()).containsOnlyKeys(0, 1);
        assertThat(ownersA.ownerOf(2)).isEmpty();
        assertThat(ownersA.settled()).isTrue();
    }

    @Test
    void memberWithAPlainRangeAssignor_canStillLeadTheGroup_andMembersThenKnowNoOwners() {
        EndpointAwareAssignor mine = new EndpointAwareAssignor();
        mine.configure(Map.of(EndpointAwareAssignor.PARTITION_OWNERS_CONFIG, ownersA));

        assertThat(mine.name()).isEqualTo(new RangeAssignor().name());
        mine.onAssignment(new Assignment(List.of(tp("earn", 0), tp("spend", 0))), null);

        assertThat(ownersA.settled()).isTrue();
        assertThat(ownersA.owners()).isEmpty();
    }

    @Test
    void unreadableAssignmentUserData_isIgnored() {
        EndpointAwareAssignor mine = new EndpointAwareAssignor();
        mine.configure(Map.of(EndpointAwareAssignor.PARTITION_OWNERS_CONFIG, ownersA));

        mine.onAssignment(new Assignment(List.of(), ByteBuffer.wrap(new byte[] {0, 1, 0, 0, 0, 9, 1})),
                null);

        assertThat(ownersA.owners()).isEmpty();
    }

    @Test
    void partitionOwnersConfig_ofTheWrongType_isRefusedNamingTheKey() {
        EndpointAwareAssignor mine = new EndpointAwareAssignor();

        assertThatThrownBy(() -> mine.configure(Map.of(EndpointAwareAssignor.PARTITION_OWNERS_CONFIG, "nope")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(EndpointAwareAssignor.PARTITION_OWNERS_CONFIG);
    }

    @Test
    void subscription_withoutAnAdvertisedUrl_carriesNoUserData() {
        EndpointAwareAssignor mine = new EndpointAwareAssignor();
        mine.configure(Map.of());

        assertThat(mine.subscriptionUserData(Set.of("earn"))).isNull();
    }

    private static TopicPartition tp(String topic, int partition) {
        return new TopicPartition(topic, partition);
    }
}
