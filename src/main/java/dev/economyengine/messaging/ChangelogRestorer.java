package dev.economyengine.messaging;

import dev.economyengine.ledger.Outcome;
import dev.economyengine.store.ShardStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings shards up to date from their changelog partitions before the worker applies any request of
 * those partitions: reads, read_committed, from the offset each shard records up to the partition's
 * end, and writes the records in large SQLite transactions. A missing shard file starts at offset 0
 * and is rebuilt whole. All the shards of one assignment are restored together, in one fetch loop.
 */
final class ChangelogRestorer {
    private static final Logger log = LoggerFactory.getLogger(ChangelogRestorer.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final long PROGRESS_EVERY_NANOS = Duration.ofSeconds(5).toNanos();
    /** Longer than any transaction may stay open (transaction.timeout.ms, 10 s by default). */
    private static final Duration OPEN_TRANSACTION_WAIT = Duration.ofSeconds(90);
    private static final Duration OPEN_TRANSACTION_POLL = Duration.ofMillis(50);

    private final Consumer<byte[], byte[]> consumer;
    private final String changelogTopic;
    private final ChangelogCodec codec = new ChangelogCodec();

    /** {@code consumer} has no group and reads read_committed; it is used for nothing else. */
    private final WorkerMetrics metrics;
    private final Admin admin;

    ChangelogRestorer(Consumer<byte[], byte[]> consumer, Admin admin, String changelogTopic, WorkerMetrics metrics) {
        this.consumer = consumer;
        this.admin = admin;
        this.metrics = metrics;
        this.changelogTopic = changelogTopic;
    }

    /** Restores the shards, by partition; returns the number of changelog records written. */
    long restore(Map<Integer, ShardStore> shards) {
        if (shards.isEmpty()) {
            return 0;
        }
        Map<TopicPartition, ShardStore> byChangelog = new HashMap<>();
        shards.forEach((partition, shard) -> byChangelog.put(new TopicPartition(changelogTopic, partition), shard));
        consumer.assign(byChangelog.keySet());
        try {
            Map<TopicPartition, Long> ends = stableEnds(byChangelog.keySet());
            Map<TopicPartition, Long> pending = new HashMap<>();
            byChangelog.forEach((changelog, shard) -> {
                long from = shard.changelogOffset();
                long end = ends.get(changelog);
                if (from > end) {
                    throw new IllegalStateException("shard " + changelog.partition() + " reflects changelog offset "
                            + from + " but " + changelog + " ends at " + end + ": the changelog topic lost data");
                }
                if (from < end) {
                    consumer.seek(changelog, from);
                    pending.put(changelog, end);
                }
            });
            consumer.pause(byChangelog.keySet().stream().filter(p -> !pending.containsKey(p)).toList());
            return pending.isEmpty() ? 0 : copy(byChangelog, pending);
        } finally {
            consumer.assign(List.of());
        }
    }

    /**
     * The ends of the changelog partitions once no transaction is open on them. Only a partition's
     * owner writes its changelog, and the new owner has none open, so an open transaction belongs to a
     * previous owner: a zombie whose commit may still land, or a dead worker whose transaction will
     * time out. Restoring before it is decided could miss a batch whose offsets then commit, so wait
     * until the last stable offset reaches the high watermark.
     */
    private Map<TopicPartition, Long> stableEnds(Set<TopicPartition> partitions) {
        long deadline = System.nanoTime() + OPEN_TRANSACTION_WAIT.toNanos();
        boolean logged = false;
        while (true) {
            Map<TopicPartition, Long> stable = latestOffsets(partitions, IsolationLevel.READ_COMMITTED);
            Map<TopicPartition, Long> written = latestOffsets(partitions, IsolationLevel.READ_UNCOMMITTED);
            if (stable.equals(written)) {
                return stable;
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("changelog partitions " + partitions + " still have an open "
                        + "transaction after " + OPEN_TRANSACTION_WAIT + " (stable " + stable + ", written " + written + ")");
            }
            if (!logged) {
                log.info("waiting for an earlier owner's open transaction on {} to be decided", partitions);
                logged = true;
            }
            try {
                Thread.sleep(OPEN_TRANSACTION_POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting to restore", e);
            }
        }
    }

    private Map<TopicPartition, Long> latestOffsets(Set<TopicPartition> partitions, IsolationLevel isolation) {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.forEach(partition -> latest.put(partition, OffsetSpec.latest()));
        try {
            Map<TopicPartition, Long> offsets = new HashMap<>();
            admin.listOffsets(latest, new ListOffsetsOptions(isolation)).all().get()
                    .forEach((partition, info) -> offsets.put(partition, info.offset()));
            return offsets;
        } catch (ExecutionException e) {
            throw new KafkaException("cannot read the changelog's end offsets: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading end offsets", e);
        }
    }

    private long copy(Map<TopicPartition, ShardStore> shards, Map<TopicPartition, Long> pending) {
        log.debug("restoring shards from {}: {}", changelogTopic, describe(shards, pending));
        long started = System.nanoTime();
        long lastProgress = started;
        long restored = 0;
        while (!pending.isEmpty()) {
            ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
            for (TopicPartition changelog : records.partitions()) {
                List<Outcome> outcomes = new ArrayList<>();
                long next = -1;
                for (ConsumerRecord<byte[], byte[]> record : records.records(changelog)) {
                    outcomes.add(codec.decode(record.value()));
                    next = record.offset() + 1;
                }
                shards.get(changelog).restore(outcomes, next);
                restored += outcomes.size();
                metrics.restoreProgress(changelog.partition(), restored, Math.max(0, pending.get(changelog) - next));
            }
            pending.entrySet().removeIf(done -> consumer.position(done.getKey()) >= done.getValue());
            long now = System.nanoTime();
            if (now - lastProgress > PROGRESS_EVERY_NANOS) {
                log.info("restoring: {} records so far; still behind: {}", restored, pending.keySet());
                lastProgress = now;
            }
        }
        double seconds = Math.max(1e-9, (System.nanoTime() - started) / 1e9);
        if (restored > 0) {
            // Only a transaction's commit marker past the recorded offset is nothing worth a line.
            log.info("restored shards {}: {} changelog records in {} s ({} records/s)",
                    shards.keySet().stream().map(TopicPartition::partition).sorted().toList(), restored,
                    String.format("%.2f", seconds), Math.round(restored / seconds));
        }
        return restored;
    }

    private static String describe(Map<TopicPartition, ShardStore> shards, Map<TopicPartition, Long> pending) {
        StringBuilder text = new StringBuilder();
        pending.forEach((changelog, end) -> text.append("shard ").append(changelog.partition()).append(" offsets ")
                .append(shards.get(changelog).changelogOffset()).append(" to ").append(end).append("; "));
        return text.toString();
    }

    void close() {
        try {
            consumer.close();
        } finally {
            admin.close();
        }
    }
}
