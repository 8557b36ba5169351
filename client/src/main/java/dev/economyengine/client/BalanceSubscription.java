package dev.economyengine.client;

import java.lang.System.Logger.Level;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * A subscription to balance changes, from the moment it was made on, until closed. Changes are read
 * read_committed (a change of an aborted batch never happened) on a thread of the subscription's own,
 * which calls the listener, one change at a time, in each user's order. For a set of users, only their
 * partitions are read (the worker keys every change by its userId) and other users' changes dropped.
 */
public final class BalanceSubscription implements AutoCloseable {
    // System.Logger, not slf4j: the client depends on kafka-clients and Jackson alone.
    private static final System.Logger LOG = System.getLogger(BalanceSubscription.class.getName());

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Set<String> userIds;
    private final Consumer<BalanceChange> listener;
    private final Runnable onClose;
    private final ConsumerThread thread;

    /** {@code userIds} null for every user's changes. */
    BalanceSubscription(KafkaConsumer<byte[], byte[]> consumer, String topic, Set<String> userIds,
            Consumer<BalanceChange> listener, Runnable onClose) {
        this.consumer = consumer;
        this.userIds = userIds == null ? null : Set.copyOf(userIds);
        this.listener = listener;
        this.onClose = onClose;
        List<TopicPartition> partitions = partitions(consumer, topic, this.userIds);
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        // seekToEnd is lazy: the positions are fixed now, so that every change after this call is seen.
        partitions.forEach(consumer::position);
        this.thread = new ConsumerThread(consumer, "balances", topic, this::deliver);
        thread.start();
    }

    private static List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer, String topic,
            Set<String> userIds) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic);
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("the topic " + topic + " does not exist");
        }
        List<TopicPartition> partitions = new ArrayList<>();
        if (userIds == null) {
            infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
        } else {
            userIds.stream().map(user -> UserPartitions.partitionOf(user, infos.size())).distinct().sorted()
                    .forEach(partition -> partitions.add(new TopicPartition(topic, partition)));
        }
        return partitions;
    }

    private void deliver(ConsumerRecord<byte[], byte[]> record) {
        BalanceChange change;
        try {
            change = EventJson.balanceChange(record.value());
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "Ignored an unreadable balance change at {0}: {1}",
                    record.topic() + "-" + record.partition() + "@" + record.offset(), e.toString());
            return;
        }
        if (userIds != null && !userIds.contains(change.userId())) {
            return;
        }
        try {
            listener.accept(change);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "The balance change listener failed on request '" + change.requestId()
                    + "' of user '" + change.userId() + "'", e);
        }
    }

    /** Stops reading; the listener is not called once this returns, unless called from the listener itself. */
    @Override
    public void close() {
        thread.stop();
        onClose.run();
    }
}
