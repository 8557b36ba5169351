package dev.economyengine.messaging;

import com.github.benmanes.caffeine.cache.CacheLoader;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.economyengine.client.ReplyHeaders;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Decides whether, and where, the worker answers a request that carries reply headers
 * ({@link ReplyHeaders}). The answer goes out in the batch's Kafka transaction, and a send that fails
 * there (a topic that does not exist blocks for max.block.ms and then fails; a topic the worker may not
 * write fails at once) leaves the transaction unable to commit: the whole batch would be retried, and
 * fail again, forever. So every refusal is decided here, before anything is sent: from the topic's name
 * (the configured pattern, never one of the worker's own topics), the partition header, and the
 * topic's metadata as the brokers describe it.
 *
 * <p>Metadata is cached per topic: a topic that can be written for {@link #WRITABLE_TTL}, so that a
 * batch answering known topics asks nothing of the brokers; a refused one for {@link #REFUSED_TTL}
 * only, so that a topic created later soon gets its replies. The topics a batch needs are looked up in
 * one call before it is decided ({@link #lookUp}). If a batch fails anyway (a topic deleted since it
 * was cached), {@link #forget()} clears the cache and the retried batch decides afresh.
 *
 * <p>Used on the worker's thread only (the caches are thread-safe anyway).
 */
final class ReplyTargets {
    static final Duration WRITABLE_TTL = Duration.ofMinutes(1);
    static final Duration REFUSED_TTL = Duration.ofSeconds(5);
    /** Bounds memory when requests name many different topics (or garbage): the least used go first. */
    private static final int MAX_TOPICS = 10_000;

    private final Set<String> ownTopics;
    private final Pattern allowed;
    private final LoadingCache<String, TopicStatus> topics;
    private final ReplyWarnings warnings;

    /**
     * @param ownTopics the worker's own topics, never answered on whatever the pattern says
     * @param allowed a reply topic must match it in full
     * @param lookup describes the topics not cached, several at once
     * @param ticker the cache's clock
     */
    ReplyTargets(List<String> ownTopics, Pattern allowed, TopicLookup lookup, Ticker ticker) {
        this.ownTopics = Set.copyOf(ownTopics);
        this.allowed = allowed;
        this.topics = Caffeine.newBuilder()
                .maximumSize(MAX_TOPICS)
                .expireAfter(new StatusExpiry())
                .ticker(ticker)
                .build(new CacheLoader<>() {
                    @Override
                    public TopicStatus load(String topic) {
                        return loadAll(Set.of(topic)).get(topic);
                    }

                    @Override
                    public Map<String, TopicStatus> loadAll(Set<? extends String> names) {
                        return lookup.describe(Set.copyOf(names));
                    }
                });
        this.warnings = new ReplyWarnings(ticker);
    }

    /** What the brokers say of a topic as a reply topic. */
    sealed interface TopicStatus permits Writable, Unwritable {}

    /** The worker may write to the topic, which has this many partitions. */
    record Writable(int partitions) implements TopicStatus {}

    record Unwritable(ReplyRefusal reason) implements TopicStatus {}

    /** Describes topics; every name asked for is in the answer, a lookup that failed as LOOKUP_FAILED. */
    @FunctionalInterface
    interface TopicLookup {
        Map<String, TopicStatus> describe(Set<String> topics);
    }

    /** What becomes of a request's reply. */
    sealed interface Decision permits NoReply, Send, Refused {}

    /** The request asked for no reply. */
    record NoReply() implements Decision {}

    /**
     * The reply goes to {@code topic}; to {@code partition} if given, else where the producer's
     * partitioner puts the key. The correlation id, if any, is copied unchanged.
     */
    record Send(String topic, OptionalInt partition, Optional<byte[]> correlationId) implements Decision {
        ProducerRecord<byte[], byte[]> answer(byte[] key, byte[] value) {
            RecordHeaders headers = new RecordHeaders();
            correlationId.ifPresent(id -> headers.add(ReplyHeaders.CORRELATION_ID, id));
            Integer explicit = partition.isPresent() ? partition.getAsInt() : null;
            return new ProducerRecord<>(topic, explicit, key, value, headers);
        }
    }

    record Refused(String topic, ReplyRefusal reason) implements Decision {}

    private static final NoReply NO_REPLY = new NoReply();

    /**
     * Looks up, in one call to the brokers, the reply topics of these requests that are not cached yet,
     * so that {@link #decide} finds them all cached. Costs nothing when none asks for a reply.
     */
    void lookUp(List<Headers> requests) {
        Set<String> names = null;
        for (Headers headers : requests) {
            Optional<String> topic = ReplyHeaders.replyTopic(headers);
            if (topic.isPresent() && refusedByName(topic.get()).isEmpty()
                    && topics.getIfPresent(topic.get()) == null) {
                if (names == null) {
                    names = new HashSet<>();
                }
                names.add(topic.get());
            }
        }
        if (names != null) {
            topics.getAll(names);
        }
    }

    /** Where the reply to a request with these headers goes, or why it goes nowhere. */
    Decision decide(Headers headers) {
        Optional<String> named = ReplyHeaders.replyTopic(headers);
        if (named.isEmpty()) {
            return NO_REPLY;
        }
        String topic = named.get();
        Optional<ReplyRefusal> byName = refusedByName(topic);
        if (byName.isPresent()) {
            return refused(topic, byName.get());
        }
        OptionalInt partition = OptionalInt.empty();
        Header partitionHeader = headers.lastHeader(ReplyHeaders.REPLY_PARTITION);
        if (partitionHeader != null) {
            partition = ReplyHeaders.decodePartition(partitionHeader.value());
            if (partition.isEmpty()) {
                return refused(topic, ReplyRefusal.BAD_PARTITION);
            }
        }
        TopicStatus status = topics.get(topic);
        if (status instanceof Unwritable unwritable) {
            return refused(topic, unwritable.reason());
        }
        int partitions = ((Writable) status).partitions();
        if (partition.isPresent() && (partition.getAsInt() < 0 || partition.getAsInt() >= partitions)) {
            // A topic grown since it was cached is seen within WRITABLE_TTL.
            return refused(topic, ReplyRefusal.BAD_PARTITION);
        }
        return new Send(topic, partition, ReplyHeaders.correlationId(headers));
    }

    /** A batch failed: what was cached may be why (a topic deleted since), so everything is looked up again. */
    void forget() {
        topics.invalidateAll();
    }

    private Optional<ReplyRefusal> refusedByName(String topic) {
        if (ownTopics.contains(topic)) {
            return Optional.of(ReplyRefusal.OWN_TOPIC);
        }
        if (!allowed.matcher(topic).matches()) {
            return Optional.of(ReplyRefusal.PATTERN);
        }
        return Optional.empty();
    }

    private Refused refused(String topic, ReplyRefusal reason) {
        warnings.refused(topic, reason);
        return new Refused(topic, reason);
    }

    /** Writable topics are kept longer than refused ones, which may be created (or granted) any time. */
    private static final class StatusExpiry implements Expiry<String, TopicStatus> {
        @Override
        public long expireAfterCreate(String topic, TopicStatus status, long currentTime) {
            return (status instanceof Writable ? WRITABLE_TTL : REFUSED_TTL).toNanos();
        }

        @Override
        public long expireAfterUpdate(String topic, TopicStatus status, long currentTime, long currentDuration) {
            return expireAfterCreate(topic, status, currentTime);
        }

        @Override
        public long expireAfterRead(String topic, TopicStatus status, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
