package dev.economyengine.messaging;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs refused replies, at most one line per topic and reason per {@link #INTERVAL}: a service that
 * names a wrong reply topic on every request must not flood the log.
 */
final class ReplyWarnings {
    static final Duration INTERVAL = Duration.ofMinutes(1);
    private static final Logger log = LoggerFactory.getLogger(ReplyWarnings.class);
    /** Kafka's own limit for a topic name; a longer header is cut in the log line. */
    private static final int MAX_LOGGED_LENGTH = 249;

    private final Cache<Key, Boolean> warned;

    ReplyWarnings(Ticker ticker) {
        this.warned = Caffeine.newBuilder()
                .maximumSize(10_000)
                .expireAfterWrite(INTERVAL)
                .ticker(ticker)
                .build();
    }

    private record Key(String topic, ReplyRefusal reason) {}

    void refused(String topic, ReplyRefusal reason) {
        if (warned.asMap().putIfAbsent(new Key(topic, reason), Boolean.TRUE) == null) {
            log.warn("no reply sent to reply topic '{}' ({}): {}; the result is published as usual (logged at"
                    + " most once a minute per topic and reason)", printable(topic), reason.tag(), explain(reason));
        }
    }

    private static String explain(ReplyRefusal reason) {
        return switch (reason) {
            case PATTERN -> "the topic does not match reply.topic-pattern";
            case OWN_TOPIC -> "the topic is one of the worker's own";
            case MISSING_TOPIC -> "the topic does not exist (the worker does not create reply topics)";
            case BAD_PARTITION -> "the kafka_replyPartition header is not a 4-byte int or names a partition the"
                    + " topic does not have";
            case NOT_AUTHORIZED -> "the worker is not allowed to write to the topic";
            case LOOKUP_FAILED -> "the topic's metadata could not be read in time";
        };
    }

    /** The topic as a header gave it, without control characters that could forge log lines. */
    private static String printable(String topic) {
        String cut = topic.length() > MAX_LOGGED_LENGTH ? topic.substring(0, MAX_LOGGED_LENGTH) + "..." : topic;
        return cut.codePoints()
                .map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
    }
}
