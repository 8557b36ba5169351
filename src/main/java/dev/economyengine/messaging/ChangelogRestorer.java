package dev.economyengine.messaging;

import dev.economyengine.ledger.Outcome;
import dev.economyengine.store.ShardStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a shard up to date from its changelog partition before the worker applies any request of
 * that partition: reads, read_committed, from the offset the shard records up to the partition's end,
 * and writes the records in large SQLite transactions. A missing shard file starts at offset 0 and is
 * rebuilt whole.
 */
final class ChangelogRestorer {
    private static final Logger log = LoggerFactory.getLogger(ChangelogRestorer.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final long PROGRESS_EVERY_NANOS = Duration.ofSeconds(5).toNanos();

    private final Consumer<byte[], byte[]> consumer;
    private final String changelogTopic;
    private final ChangelogCodec codec = new ChangelogCodec();

    /** {@code consumer} has no group and reads read_committed; it is used for nothing else. */
    ChangelogRestorer(Consumer<byte[], byte[]> consumer, String changelogTopic) {
        this.consumer = consumer;
        this.changelogTopic = changelogTopic;
    }

    /** Returns the number of changelog records written into the shard. */
    long restore(int partition, ShardStore shard) {
        TopicPartition changelog = new TopicPartition(changelogTopic, partition);
        long from = shard.changelogOffset();
        consumer.assign(List.of(changelog));
        try {
            long end = consumer.endOffsets(List.of(changelog)).get(changelog);
            if (from > end) {
                throw new IllegalStateException("shard " + partition + " reflects changelog offset " + from
                        + " but " + changelog + " ends at " + end + ": the changelog topic lost data");
            }
            if (from == end) {
                log.info("shard {} is up to date with {} at offset {}", partition, changelog, end);
                return 0;
            }
            log.info("restoring shard {} from {} offsets {} to {}", partition, changelog, from, end);
            consumer.seek(changelog, from);
            return copy(shard, changelog, end);
        } finally {
            consumer.assign(List.of());
        }
    }

    private long copy(ShardStore shard, TopicPartition changelog, long end) {
        int partition = changelog.partition();
        long started = System.nanoTime();
        long lastProgress = started;
        long restored = 0;
        while (consumer.position(changelog) < end) {
            List<Outcome> outcomes = new ArrayList<>();
            long next = -1;
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL).records(changelog)) {
                outcomes.add(codec.decode(record.value()));
                next = record.offset() + 1;
            }
            if (!outcomes.isEmpty()) {
                shard.restore(outcomes, next);
                restored += outcomes.size();
            }
            long now = System.nanoTime();
            if (now - lastProgress > PROGRESS_EVERY_NANOS) {
                log.info("restoring shard {}: {} records, offset {} of {}", partition, restored,
                        consumer.position(changelog), end);
                lastProgress = now;
            }
        }
        double seconds = Math.max(1e-9, (System.nanoTime() - started) / 1e9);
        log.info("restored shard {}: {} changelog records in {} s ({} records/s)", partition, restored,
                String.format("%.2f", seconds), Math.round(restored / seconds));
        return restored;
    }

    void close() {
        consumer.close();
    }
}
