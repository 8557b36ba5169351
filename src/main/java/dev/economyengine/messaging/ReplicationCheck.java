package dev.economyengine.messaging;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks at start-up whether a topic the worker writes in its Kafka transactions has a partition with a
 * single replica.
 *
 * <p>A controlled shutdown of a broker hands the leadership of its partitions to another in-sync
 * replica. A partition with one replica has none, so it is leaderless while the broker still serves;
 * Kafka's transaction coordinator then completes a commit in flight without writing its marker to that
 * partition (it takes a leaderless partition for a deleted one), and the transaction stays open there
 * for good: read_committed readers stop at it until an operator aborts it. With three replicas and
 * {@code min.insync.replicas=2}, leadership moves and the marker is written.
 */
public final class ReplicationCheck {
    private static final Logger log = LoggerFactory.getLogger(ReplicationCheck.class);

    private ReplicationCheck() {}

    /**
     * Logs which written topics have a single-replica partition, and returns them: a warning on a
     * cluster of several brokers, where that is a choice to undo; on a one-broker cluster, where no
     * topic can have more, what to do instead.
     */
    public static List<String> reportSingleReplicaTopics(Admin admin, Topics topics) {
        List<String> exposed;
        int brokers;
        try {
            Map<String, TopicDescription> described = admin.describeTopics(topics.written()).allTopicNames().get();
            exposed = singleReplicaTopics(topics.written().stream().map(described::get).toList());
            brokers = admin.describeCluster().nodes().get().size();
        } catch (ExecutionException e) {
            // Only advice is at stake: the worker starts anyway.
            log.warn("could not check the replication of {}: {}", topics.written(), e.getCause().toString());
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
        advice(exposed, brokers).ifPresent(advice -> {
            if (advice.warning()) {
                log.warn(advice.message());
            } else {
                log.info(advice.message());
            }
        });
        return exposed;
    }

    /** What to tell the operator, and whether as a warning. */
    record Advice(boolean warning, String message) {}

    static Optional<Advice> advice(List<String> exposed, int brokers) {
        if (exposed.isEmpty()) {
            return Optional.empty();
        }
        if (brokers > 1) {
            return Optional.of(new Advice(true, "topics " + exposed + " have partitions with a single replica: a"
                    + " controlled shutdown of its broker while this worker commits can leave the transaction open on"
                    + " them for good, and read_committed readers stop there until it is aborted by hand. Use"
                    + " replication factor 3 with min.insync.replicas=2 (README: Running it for real, Operations)"));
        }
        return Optional.of(new Advice(false, "a one-broker cluster: stop the workers before you stop the broker, or a"
                + " commit in flight can be left open for good on " + exposed + " (README: Operations)"));
    }

    /** The names of the topics, in the given order, of which some partition has a single replica. */
    static List<String> singleReplicaTopics(Collection<TopicDescription> described) {
        return described.stream()
                .filter(topic -> topic.partitions().stream().anyMatch(partition -> partition.replicas().size() < 2))
                .map(TopicDescription::name)
                .toList();
    }
}
