package dev.economyengine.messaging;

import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.NoOffsetForPartitionException;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;

/**
 * Where a request partition with no committed offset starts, as the consumer's {@code auto.offset.reset}
 * says: {@code earliest}, {@code latest}, {@code by_duration:<ISO-8601 duration>} or {@code none}. The
 * worker seeks its partitions itself when a shard goes live, so it applies the policy itself too.
 */
record OffsetReset(String policy, Clock clock) {
    private static final String BY_DURATION = "by_duration:";

    OffsetReset {
        policy = policy.trim().toLowerCase(Locale.ROOT);
        if (!policy.equals("earliest") && !policy.equals("latest") && !policy.equals("none")
                && !policy.startsWith(BY_DURATION)) {
            throw new IllegalArgumentException("auto.offset.reset must be earliest, latest, none or by_duration:<duration>,"
                    + " was '" + policy + "'");
        }
        if (policy.startsWith(BY_DURATION)) {
            duration(policy);
        }
    }

    static OffsetReset of(Object configured) {
        return new OffsetReset(configured == null ? "latest" : configured.toString(), Clock.systemUTC());
    }

    /** Seeks the partition as the policy says. */
    void apply(Consumer<?, ?> consumer, TopicPartition partition) {
        switch (policy) {
            case "earliest" -> consumer.seekToBeginning(List.of(partition));
            case "latest" -> consumer.seekToEnd(List.of(partition));
            case "none" -> throw new NoOffsetForPartitionException(partition);
            default -> {
                long since = clock.millis() - duration(policy).toMillis();
                Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(Map.of(partition, since));
                OffsetAndTimestamp offset = found.get(partition);
                if (offset == null) {
                    consumer.seekToEnd(List.of(partition));
                } else {
                    consumer.seek(partition, offset.offset());
                }
            }
        }
    }

    private static Duration duration(String policy) {
        String text = policy.substring(BY_DURATION.length()).toUpperCase(Locale.ROOT);
        try {
            Duration duration = Duration.parse(text);
            if (duration.isNegative()) {
                throw new IllegalArgumentException("auto.offset.reset by_duration must not be negative, was " + text);
            }
            return duration;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("auto.offset.reset by_duration is not an ISO-8601 duration: " + text, e);
        }
    }
}
