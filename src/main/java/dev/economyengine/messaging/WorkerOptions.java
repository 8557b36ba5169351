package dev.economyengine.messaging;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How the poll loop paces itself.
 *
 * @param pollTimeout the longest a poll waits for records when idle (also bounds shutdown latency)
 * @param mergeMaxWait how long a record waits for the other request topic's partition when that one
 *     has nothing buffered (see {@link PartitionMerger})
 * @param maxBatchRecords the most records applied in one SQLite transaction per shard
 * @param autoOffsetReset the consumer's {@code auto.offset.reset}: where a request partition with no
 *     committed offset starts when its shard goes live
 * @param commitPolicy when the transaction kept open across polls commits
 * @param sessionTimeout the consumer's {@code session.timeout.ms}: a worker whose heartbeats have not
 *     reached the group for longer is not ready (the group has most likely moved on without it)
 * @param replyTopicPattern a request's reply topic must match it in full to be answered ({@link ReplyTargets})
 */
public record WorkerOptions(Duration pollTimeout, Duration mergeMaxWait, int maxBatchRecords, String autoOffsetReset,
        CommitPolicy commitPolicy, Duration sessionTimeout, Pattern replyTopicPattern) {
    /** The worker's default session timeout ({@link ClientProperties#consumer}). */
    public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(10);
    /** The default of {@code reply.topic-pattern}. */
    public static final Pattern DEFAULT_REPLY_TOPIC_PATTERN = Pattern.compile("economy\\.replies\\..+");

    public WorkerOptions {
        Objects.requireNonNull(replyTopicPattern, "replyTopicPattern");
        Objects.requireNonNull(sessionTimeout, "sessionTimeout");
        Objects.requireNonNull(commitPolicy, "commitPolicy");
        Objects.requireNonNull(pollTimeout, "pollTimeout");
        Objects.requireNonNull(mergeMaxWait, "mergeMaxWait");
        Objects.requireNonNull(autoOffsetReset, "autoOffsetReset");
        if (maxBatchRecords < 1) {
            throw new IllegalArgumentException("maxBatchRecords must be at least 1, was " + maxBatchRecords);
        }
    }

    /** With the worker's default {@code auto.offset.reset}, {@code earliest}, and a commit per poll. */
    public WorkerOptions(Duration pollTimeout, Duration mergeMaxWait, int maxBatchRecords) {
        this(pollTimeout, mergeMaxWait, maxBatchRecords, "earliest");
    }

    /** With a commit per poll and the default session timeout. */
    public WorkerOptions(Duration pollTimeout, Duration mergeMaxWait, int maxBatchRecords, String autoOffsetReset) {
        this(pollTimeout, mergeMaxWait, maxBatchRecords, autoOffsetReset, CommitPolicy.EVERY_POLL,
                DEFAULT_SESSION_TIMEOUT, DEFAULT_REPLY_TOPIC_PATTERN);
    }
}
