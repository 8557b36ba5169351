package dev.economyengine.messaging;

import dev.economyengine.store.ShardStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The Kafka transaction the poll loop keeps open across polls ({@link CommitPolicy}), and what it holds
 * until it commits: the shards' decided batches (not yet written to SQLite), each with its own last
 * changelog send (the changelog offset its shard reaches once that batch is written: a shard may have
 * several batches in one transaction, and each is written with its own offset, so that a death between
 * two writes leaves the file claiming no more than it holds), and the consumed offsets it will commit.
 * Poll loop thread only.
 */
final class OpenTransaction {
    private final List<BatchOutput.Applied> applied = new ArrayList<>();
    private final Map<Integer, ShardStore> stores = new HashMap<>();
    private final Map<BatchOutput.Applied, Future<RecordMetadata>> lastChangelogSend = new IdentityHashMap<>();
    private final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    private final long openedNanos;
    private int records;

    OpenTransaction(long openedNanos) {
        this.openedNanos = openedNanos;
    }

    void add(ShardStore store, BatchOutput.Applied shardBatch, int shardRecords) {
        applied.add(shardBatch);
        stores.put(shardBatch.batch().shardId(), store);
        records += shardRecords;
    }

    /** The batch's latest changelog record so far: it is written with the offset after the last one. */
    void changelogSent(BatchOutput.Applied shardBatch, Future<RecordMetadata> send) {
        lastChangelogSend.put(shardBatch, send);
    }

    /** The consumed position of each partition: later polls move it on. */
    void consumed(Map<TopicPartition, OffsetAndMetadata> positions) {
        offsets.putAll(positions);
    }

    List<BatchOutput.Applied> applied() {
        return applied;
    }

    ShardStore store(BatchOutput.Applied shardBatch) {
        return stores.get(shardBatch.batch().shardId());
    }

    /** The batch's last changelog send; null when it stored nothing (duplicates, dead letters, forwards). */
    Future<RecordMetadata> lastChangelogSend(BatchOutput.Applied shardBatch) {
        return lastChangelogSend.get(shardBatch);
    }

    Map<TopicPartition, OffsetAndMetadata> offsets() {
        return Map.copyOf(offsets);
    }

    int records() {
        return records;
    }

    /** When the oldest of its records joined it: the commit is due {@link CommitPolicy#maxDelay} later. */
    long openedNanos() {
        return openedNanos;
    }

    /** The transaction will not commit: forgets its decisions in every shard (in order, oldest first). */
    void discardDecisions() {
        applied.forEach(shardBatch -> store(shardBatch).discard(shardBatch.batch()));
    }
}
