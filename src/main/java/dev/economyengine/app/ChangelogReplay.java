package dev.economyengine.app;

import dev.economyengine.messaging.ChangelogRestorer;
import dev.economyengine.messaging.WorkerMetrics;
import dev.economyengine.store.ShardStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The worker's {@link ChangelogRestorer} for an offline tool: rebuilds whole changelog partitions into
 * fresh shard stores, with what an offline tool needs besides: a deadline on every call to Kafka, so
 * that an unreachable cluster fails the command instead of hanging it; a refusal to start from a
 * changelog whose first records were deleted; progress on stderr; and failures worded for an operator.
 */
final class ChangelogReplay {
    private final Admin admin;
    private final String topic;
    private final Duration timeout;
    private final Progress progress = new Progress();
    private final ChangelogRestorer restorer;

    /** {@code consumer} reads read_committed, has no group and is used for nothing else. */
    ChangelogReplay(Admin admin, Consumer<byte[], byte[]> consumer, String topic, Duration timeout) {
        this.admin = admin;
        this.topic = topic;
        this.timeout = timeout;
        // The command stops when its process does: nothing to ask.
        this.restorer = new ChangelogRestorer(consumer, admin, topic, timeout, ChangelogRestorer.OPEN_TRANSACTION_WAIT,
                progress, () -> false);
    }

    int partitionCount() {
        try {
            Map<String, TopicDescription> topics = admin.describeTopics(List.of(topic),
                    new DescribeTopicsOptions().timeoutMs(timeoutMs())).allTopicNames().get(timeoutMs(), TimeUnit.MILLISECONDS);
            return topics.get(topic).partitions().size();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new ReplayFailure("the changelog topic " + topic + " does not exist");
            }
            throw unreachable("describing " + topic, e.getCause());
        } catch (TimeoutException e) {
            throw unreachable("describing " + topic, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReplayFailure("interrupted");
        }
    }

    /**
     * The end of each partition once no transaction is open on it (a worker that is still running, or
     * died moments ago, may yet commit one), after checking that each still starts at offset 0.
     */
    Map<Integer, Long> ends(Set<Integer> partitions) {
        try {
            restorer.startOffsets(partitions).forEach((partition, start) -> {
                if (start > 0) {
                    throw new ReplayFailure("changelog " + topic + "-" + partition + " starts at offset " + start
                            + ", not 0: its first records were deleted (retention.ms or deleteRecords), so a replay"
                            + " would lose them");
                }
            });
            return restorer.stableEnds(partitions);
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw new ReplayFailure(e.getMessage() + ": is a worker still running, or Kafka unreachable?");
        } catch (KafkaException e) {
            throw unreachable("reading the offsets of " + topic, e);
        }
    }

    /**
     * Replays each partition from offset 0 to its end into its (new, empty) store; returns the changelog
     * records written, by partition. {@code bar} counts changelog offsets (records and transaction markers).
     */
    Map<Integer, Long> replay(Map<Integer, ShardStore> shards, Map<Integer, Long> ends, ProgressBar bar) {
        progress.start(bar, ends);
        try {
            Map<Integer, Long> records = restorer.restore(shards);
            bar.finish();
            return records;
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw new ReplayFailure("Kafka stopped answering: " + e.getMessage());
        } catch (IllegalStateException e) {
            throw new ReplayFailure(e.getMessage());
        }
    }

    private ReplayFailure unreachable(String what, Throwable cause) {
        boolean timedOut = cause instanceof TimeoutException
                || cause instanceof org.apache.kafka.common.errors.TimeoutException;
        return new ReplayFailure(timedOut
                ? "Kafka did not answer within " + timeout.toSeconds() + " s while " + what + ": is it reachable?"
                : "Kafka failed while " + what + ": " + cause);
    }

    private int timeoutMs() {
        return (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    }

    /** Turns the restorer's per-partition progress into one bar of changelog offsets read. */
    private static final class Progress implements WorkerMetrics {
        private final Map<Integer, Long> read = new ConcurrentHashMap<>();
        private Map<Integer, Long> ends = Map.of();
        private ProgressBar bar;

        void start(ProgressBar bar, Map<Integer, Long> ends) {
            this.bar = bar;
            this.ends = Map.copyOf(ends);
            read.clear();
        }

        @Override
        public void restoreProgress(int partition, long restored, long remaining) {
            read.put(partition, Math.max(0, ends.getOrDefault(partition, 0L) - remaining));
            bar.update(read.values().stream().mapToLong(Long::longValue).sum());
        }
    }
}
