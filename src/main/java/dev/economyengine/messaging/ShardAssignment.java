package dev.economyengine.messaging;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the worker a shard when it holds partition p of both request topics (the shard then goes live
 * through its {@link ShardState}s on the poll loop, not in this callback), and closes it
 * when either goes. A lone topic-partition is paused, never applied: the user's balance lives in one
 * shard, and a worker that held only half of the partition could not merge the two topics in order.
 * The group uses the eager range assignor, so a partition is revoked everywhere before it is assigned
 * anywhere: two workers never apply requests of the same partition at the same time.
 */
final class ShardAssignment implements ConsumerRebalanceListener {
    private static final Logger log = LoggerFactory.getLogger(ShardAssignment.class);

    private final Worker worker;

    ShardAssignment(Worker worker) {
        this.worker = worker;
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        // Called inside poll: the transaction kept open across polls commits first.
        worker.shardsRevoked(partitionNumbers(partitions));
        log.info("partitions revoked: {}", partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        // The group has moved on: the open transaction, if any, can only abort.
        worker.shardsLost(partitionNumbers(partitions));
        log.info("partitions lost: {}", partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        Set<TopicPartition> assignment = worker.consumer().assignment();
        Topics topics = worker.topics();
        for (String topic : topics.requestTopics()) {
            int count = worker.consumer().partitionsFor(topic).size();
            if (count != worker.partitionCount()) {
                // Users map to shards by partition: a changed count would split users' balances.
                throw new IllegalStateException("topic " + topic + " now has " + count + " partitions, not "
                        + worker.partitionCount() + "; changing the partition count of a running ledger is not "
                        + "supported");
            }
        }
        List<TopicPartition> lone = new ArrayList<>();
        Set<Integer> whole = new HashSet<>();
        for (int partition : partitionNumbers(assignment)) {
            TopicPartition earn = new TopicPartition(topics.earnRequests(), partition);
            TopicPartition spend = new TopicPartition(topics.spendRequests(), partition);
            if (assignment.contains(earn) && assignment.contains(spend)) {
                whole.add(partition);
            } else {
                lone.add(assignment.contains(earn) ? earn : spend);
            }
        }
        worker.shardsAssigned(whole);
        if (!lone.isEmpty()) {
            log.error("assigned {} without the same partition of the other request topic: paused. "
                    + "Both request topics must have the same partition count.", lone);
            worker.consumer().pause(lone);
        }
        log.info("partitions assigned: {}; shards assigned: {}", partitions, new TreeSet<>(whole));
    }

    private static Set<Integer> partitionNumbers(Collection<TopicPartition> partitions) {
        Set<Integer> numbers = new HashSet<>();
        partitions.forEach(p -> numbers.add(p.partition()));
        return numbers;
    }
}
