package dev.economyengine.http;

import dev.economyengine.messaging.EndpointAwareAssignor;
import dev.economyengine.messaging.EndpointAwareAssignor.PartitionOwners;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.GroupAssignment;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.GroupSubscription;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Subscription;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;

/**
 * A consumer group's rebalance without a broker: each member's {@link EndpointAwareAssignor} makes its
 * subscription, the first member leads and assigns, and every member receives its assignment, exactly
 * the calls a Kafka consumer makes.
 */
final class SimulatedGroup {
    static final String EARN = "earn";
    static final String SPEND = "spend";

    private final int partitions;
    private final Map<String, Member> members = new LinkedHashMap<>();

    SimulatedGroup(int partitions) {
        this.partitions = partitions;
    }

    /** A member advertising the URL (null: none), whose assignor keeps the given owners up to date. */
    SimulatedGroup member(String memberId, String url, PartitionOwners owners) {
        EndpointAwareAssignor assignor = new EndpointAwareAssignor();
        Map<String, Object> configs = new HashMap<>();
        if (url != null) {
            configs.put(EndpointAwareAssignor.ADVERTISED_URL_CONFIG, url);
        }
        configs.put(EndpointAwareAssignor.PARTITION_OWNERS_CONFIG, owners);
        assignor.configure(configs);
        members.put(memberId, new Member(assignor, owners));
        return this;
    }

    /** Every member joins; returns what the leader assigned. */
    GroupAssignment rebalance() {
        Map<String, Subscription> subscriptions = new LinkedHashMap<>();
        members.forEach((id, member) -> subscriptions.put(id,
                new Subscription(List.of(EARN, SPEND), member.assignor().subscriptionUserData(Set.of(EARN, SPEND)))));
        EndpointAwareAssignor leader = members.values().iterator().next().assignor();
        GroupAssignment assignment = leader.assign(cluster(), new GroupSubscription(subscriptions));
        // The group metadata only goes into a log line; its constructors are deprecated for clients.
        members.forEach((id, member) -> member.assignor().onAssignment(assignment.groupAssignment().get(id), null));
        return assignment;
    }

    /** Only the start of a rebalance: members ask for their subscription data, no assignment yet. */
    void beginRebalance() {
        members.values().forEach(m -> m.assignor().subscriptionUserData(Set.of(EARN, SPEND)));
    }

    private Cluster cluster() {
        Node node = new Node(0, "localhost", 9092);
        List<PartitionInfo> infos = new ArrayList<>();
        for (String topic : List.of(EARN, SPEND)) {
            for (int p = 0; p < partitions; p++) {
                infos.add(new PartitionInfo(topic, p, node, new Node[] {node}, new Node[] {node}));
            }
        }
        return new Cluster("cluster", List.of(node), infos, Set.of(), Set.of());
    }

    private record Member(EndpointAwareAssignor assignor, PartitionOwners owners) {}
}
