package dev.economyengine.messaging;

import dev.economyengine.ledger.Result;

/**
 * What the poll loop reports as it goes, for whoever exports metrics. Called on the worker thread,
 * except {@link #shardWritten} (on a shard's writer thread); implementations must be thread-safe,
 * cheap, and must not throw.
 */
public interface WorkerMetrics {
    WorkerMetrics NONE = new WorkerMetrics() {};

    /** One result published (duplicates included: {@link Result#duplicate()}). */
    default void result(Result result) {}

    default void deadLettered() {}

    /** One reply sent to the reply topic a request named, in a committed batch. */
    default void replySent() {}

    /** One request's reply not sent, for this reason, in a committed batch; its result was published. */
    default void replyRefused(ReplyRefusal reason) {}

    /** One request forwarded from the partition it landed in, of {@code topic}, to its user's partition. */
    default void forwarded(String topic) {}

    /**
     * Requests joined the Kafka transaction held open across polls (a positive count), or left it when
     * it committed or aborted (a negative one).
     */
    default void openTransactionChanged(int records) {}

    /** A batch is committed to Kafka: its record count and how long the commit took. */
    default void batchCommitted(int records, long kafkaCommitNanos) {}

    /** One shard's share of a committed batch is written and committed to its SQLite file. */
    default void shardWritten(long sqliteCommitNanos) {}

    /** Restore progress of one shard: records written so far and changelog records still ahead. */
    default void restoreProgress(int partition, long restored, long remaining) {}
}
