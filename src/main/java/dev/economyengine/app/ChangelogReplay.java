package dev.economyengine.app;

import dev.economyengine.ledger.Outcome;
import dev.economyengine.messaging.ChangelogCodec;
import dev.economyengine.store.ShardStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Reads whole changelog partitions, read_committed, from offset 0 to their end into fresh shard
 * stores, in one fetch loop and one SQLite transaction per fetched batch.
 *
 * <p>This is the worker's restore ({@code messaging.ChangelogRestorer}) for an offline tool, with what
 * an offline tool needs besides: a deadline on every call to Kafka, so that an unreachable cluster
 * fails the command instead of hanging it; a refusal to start from a changelog whose first records
 * were deleted; and progress on stderr. The loop should become the restorer's once that is public.
 */
final class ChangelogReplay {
    private static final Duration POLL = Duration.ofMillis(100);
    /** Longer than any transaction may stay open (transaction.timeout.ms, 10 s by default), as the worker waits. */
    private static final Duration OPEN_TRANSACTION_WAIT = Duration.ofSeconds(90);
    private static final Duration OPEN_TRANSACTION_POLL = Duration.ofMillis(200);

    private final Admin admin;
    private final Consumer<byte[], byte[]> consumer;
    private final String topic;
    private final Duration timeout;
    private final Clock clock;
    private final ChangelogCodec codec = new ChangelogCodec();

    /** {@code consumer} reads read_committed, has no group and is used for nothing else. */
    ChangelogReplay(Admin admin, Consumer<byte[], byte[]> consumer, String topic, Duration timeout, Clock clock) {
        this.admin = admin;
        this.consumer = consumer;
        this.topic = topic;
        this.timeout = timeout;
        this.clock = clock;
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
        Map<Integer, Long> starts = offsets(partitions, OffsetSpec.earliest(), IsolationLevel.READ_UNCOMMITTED);
        starts.forEach((partition, start) -> {
            if (start > 0) {
                throw new ReplayFailure("changelog " + topic + "-" + partition + " starts at offset " + start
                        + ", not 0: its first records were deleted (retention.ms or deleteRecords), so a replay"
                        + " would lose them");
            }
        });
        long deadline = clock.millis() + OPEN_TRANSACTION_WAIT.toMillis();
        while (true) {
            Map<Integer, Long> stable = offsets(partitions, OffsetSpec.latest(), IsolationLevel.READ_COMMITTED);
            Map<Integer, Long> written = offsets(partitions, OffsetSpec.latest(), IsolationLevel.READ_UNCOMMITTED);
            if (stable.equals(written)) {
                return stable;
            }
            if (clock.millis() > deadline) {
                throw new ReplayFailure("changelog " + topic + " still has an open transaction after "
                        + OPEN_TRANSACTION_WAIT.toSeconds() + " s (committed up to " + stable + ", written up to "
                        + written + "): is a worker still running?");
            }
            sleep(OPEN_TRANSACTION_POLL);
        }
    }

    /**
     * Replays each partition from offset 0 to its end into its store; returns the changelog records
     * written, by partition. {@code progress} counts changelog offsets (records and transaction markers).
     */
    Map<Integer, Long> replay(Map<Integer, ShardStore> shards, Map<Integer, Long> ends, ProgressBar progress) {
        Map<TopicPartition, ShardStore> byChangelog = new HashMap<>();
        shards.forEach((partition, shard) -> byChangelog.put(new TopicPartition(topic, partition), shard));
        Map<Integer, Long> records = new TreeMap<>();
        shards.keySet().forEach(partition -> records.put(partition, 0L));
        consumer.assign(byChangelog.keySet());
        try {
            byChangelog.keySet().forEach(changelog -> consumer.seek(changelog, 0));
            Map<TopicPartition, Long> pending = new HashMap<>();
            byChangelog.keySet().forEach(changelog -> {
                if (ends.get(changelog.partition()) > 0) {
                    pending.put(changelog, ends.get(changelog.partition()));
                }
            });
            consumer.pause(byChangelog.keySet().stream().filter(p -> !pending.containsKey(p)).toList());
            long read = 0;
            long lastMoved = clock.millis();
            while (!pending.isEmpty()) {
                ConsumerRecords<byte[], byte[]> batch = consumer.poll(POLL);
                for (TopicPartition changelog : batch.partitions()) {
                    int count = write(changelog, batch.records(changelog), byChangelog.get(changelog));
                    records.merge(changelog.partition(), (long) count, Long::sum);
                }
                long nowRead = positions(byChangelog.keySet(), ends);
                progress.update(nowRead);
                if (nowRead > read) {
                    read = nowRead;
                    lastMoved = clock.millis();
                } else if (clock.millis() - lastMoved > timeoutMs()) {
                    throw new ReplayFailure("no changelog records from Kafka for " + timeout.toSeconds() + " s ("
                            + read + " of " + ends.values().stream().mapToLong(Long::longValue).sum() + " read)");
                }
                pending.entrySet().removeIf(done -> consumer.position(done.getKey()) >= done.getValue());
            }
            progress.finish();
            return records;
        } finally {
            consumer.assign(List.of());
        }
    }

    private int write(TopicPartition changelog, List<ConsumerRecord<byte[], byte[]>> records, ShardStore shard) {
        List<Outcome> outcomes = new ArrayList<>(records.size());
        long next = -1;
        for (ConsumerRecord<byte[], byte[]> record : records) {
            try {
                outcomes.add(codec.decode(record.value()));
            } catch (RuntimeException e) {
                throw new ReplayFailure("cannot read changelog record " + changelog + "@" + record.offset() + ": "
                        + e.getMessage());
            }
            next = record.offset() + 1;
        }
        shard.restore(outcomes, next);
        return outcomes.size();
    }

    /** Offsets read so far, summed over the partitions, each counted up to its end. */
    private long positions(Set<TopicPartition> changelogs, Map<Integer, Long> ends) {
        long sum = 0;
        for (TopicPartition changelog : changelogs) {
            sum += Math.min(consumer.position(changelog, timeout), ends.get(changelog.partition()));
        }
        return sum;
    }

    private Map<Integer, Long> offsets(Set<Integer> partitions, OffsetSpec spec, IsolationLevel isolation) {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(partition -> request.put(new TopicPartition(topic, partition), spec));
        ListOffsetsOptions options = new ListOffsetsOptions(isolation);
        options.timeoutMs(timeoutMs());
        try {
            Map<Integer, Long> offsets = new TreeMap<>();
            admin.listOffsets(request, options).all().get(timeoutMs(), TimeUnit.MILLISECONDS)
                    .forEach((changelog, info) -> offsets.put(changelog.partition(), info.offset()));
            return offsets;
        } catch (ExecutionException e) {
            throw unreachable("reading the offsets of " + topic, e.getCause());
        } catch (TimeoutException e) {
            throw unreachable("reading the offsets of " + topic, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReplayFailure("interrupted");
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

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReplayFailure("interrupted");
        }
    }
}
