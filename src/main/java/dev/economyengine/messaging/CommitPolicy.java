package dev.economyengine.messaging;

import java.time.Duration;
import java.util.Objects;

/**
 * When an open Kafka transaction commits. Each commit makes the broker write a marker to every
 * partition the transaction touched (results, balance changes, changelog, the group's offsets), so at a
 * moderate rate one transaction per poll costs the broker more in markers than in records, and the
 * markers queue up behind each other. A transaction therefore stays open across polls until it holds
 * {@code maxRecords} records (under a burst: at once, as large as a poll returns) or its oldest record
 * has waited {@code maxDelay} since it was polled: no result is held back longer than that.
 *
 * @param maxDelay the longest a polled record waits for its transaction to commit
 * @param maxRecords a transaction holding this many records commits at once
 */
public record CommitPolicy(Duration maxDelay, int maxRecords) {
    /** A commit per poll, as a loop without a policy does. */
    public static final CommitPolicy EVERY_POLL = new CommitPolicy(Duration.ZERO, 1);

    public CommitPolicy {
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (maxDelay.isNegative()) {
            throw new IllegalArgumentException("maxDelay must not be negative, was " + maxDelay);
        }
        if (maxRecords < 1) {
            throw new IllegalArgumentException("maxRecords must be at least 1, was " + maxRecords);
        }
    }

    /**
     * How long from now the transaction may stay open: 0 when it commits now, and long when it holds
     * nothing.
     *
     * @param records the records the open transaction holds
     * @param oldestPolledNanos when the oldest of them was polled ({@link System#nanoTime()})
     */
    public long nanosUntilCommit(int records, long oldestPolledNanos, long nowNanos) {
        if (records == 0) {
            return Long.MAX_VALUE;
        }
        if (records >= maxRecords) {
            return 0;
        }
        return Math.max(0, oldestPolledNanos + maxDelay.toNanos() - nowNanos);
    }

    public boolean commitsNow(int records, long oldestPolledNanos, long nowNanos) {
        return nanosUntilCommit(records, oldestPolledNanos, nowNanos) == 0;
    }
}
