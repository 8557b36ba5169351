package dev.economyengine.messaging;

import dev.economyengine.ledger.Result;

/**
 * What the poll loop reports as it goes, for whoever exports metrics. Called on the worker thread;
 * implementations must be cheap and must not throw.
 */
public interface WorkerMetrics {
    WorkerMetrics NONE = new WorkerMetrics() {};

    /** One result published (duplicates included: {@link Result#duplicate()}). */
    default void result(Result result) {}

    default void deadLettered() {}

    /** A batch is committed: its record count and how long each commit took. */
    default void batchCommitted(int records, long kafkaCommitNanos, long sqliteCommitNanos) {}

    /** Restore progress of one shard: records written so far and changelog records still ahead. */
    default void restoreProgress(int partition, long restored, long remaining) {}
}
