package dev.economyengine.messaging;

import java.util.Locale;

/**
 * Why a request that asked for a reply gets none. Each costs the reply only: the result is still
 * published on the results topic, and the batch goes on.
 */
public enum ReplyRefusal {
    /** The reply topic does not match {@code reply.topic-pattern}. */
    PATTERN,
    /** The reply topic is one of the worker's own topics (requests, results, events, DLQ, changelog). */
    OWN_TOPIC,
    /** The reply topic does not exist (the worker never creates one). */
    MISSING_TOPIC,
    /** The reply partition header is not a 4-byte int, or names a partition the topic does not have. */
    BAD_PARTITION,
    /** The worker may not write to the reply topic. */
    NOT_AUTHORIZED,
    /** The topic's metadata could not be read in time; tried again a few seconds later. */
    LOOKUP_FAILED;

    /** The value of the metric's {@code reason} tag and of the log line. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
