package dev.economyengine.messaging;

import dev.economyengine.messaging.ReplyTargets.TopicStatus;
import dev.economyengine.messaging.ReplyTargets.Unwritable;
import dev.economyengine.messaging.ReplyTargets.Writable;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Reply topics as the brokers describe them: whether they exist, how many partitions they have, and
 * whether this worker may write to them. Asking never creates a topic (an admin request does not).
 */
final class ReplyTopicMetadata implements ReplyTargets.TopicLookup {
    /** The worker's thread waits this long at most, once per batch that names topics not cached. */
    static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final Admin admin;
    private final Duration timeout;

    ReplyTopicMetadata(Admin admin, Duration timeout) {
        this.admin = admin;
        this.timeout = timeout;
    }

    @Override
    public Map<String, TopicStatus> describe(Set<String> topics) {
        Map<String, KafkaFuture<TopicDescription>> described;
        try {
            described = admin.describeTopics(topics,
                            new DescribeTopicsOptions()
                                    .timeoutMs((int) timeout.toMillis())
                                    // Without an authorizer the brokers list every operation.
                                    .includeAuthorizedOperations(true))
                    .topicNameValues();
        } catch (RuntimeException e) {
            // A lookup that cannot even start costs the replies, never the batch.
            Map<String, TopicStatus> failed = new HashMap<>();
            topics.forEach(topic -> failed.put(topic, new Unwritable(ReplyRefusal.LOOKUP_FAILED)));
            return failed;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, TopicStatus> statuses = new HashMap<>();
        for (String topic : topics) {
            statuses.put(topic, status(described.get(topic), deadline));
        }
        return statuses;
    }

    private static TopicStatus status(KafkaFuture<TopicDescription> description, long deadline) {
        try {
            return status(description.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof UnknownTopicOrPartitionException || cause instanceof InvalidTopicException) {
                return new Unwritable(ReplyRefusal.MISSING_TOPIC);
            }
            if (cause instanceof TopicAuthorizationException) {
                return new Unwritable(ReplyRefusal.NOT_AUTHORIZED);
            }
            return new Unwritable(ReplyRefusal.LOOKUP_FAILED);
        } catch (TimeoutException e) {
            return new Unwritable(ReplyRefusal.LOOKUP_FAILED);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Unwritable(ReplyRefusal.LOOKUP_FAILED);
        }
    }

    static TopicStatus status(TopicDescription description) {
        Set<AclOperation> allowed = description.authorizedOperations();
        // null: the brokers did not say (an old broker); the send itself is then the only check.
        if (allowed != null && !allowed.contains(AclOperation.WRITE) && !allowed.contains(AclOperation.ALL)) {
            return new Unwritable(ReplyRefusal.NOT_AUTHORIZED);
        }
        return new Writable(description.partitions().size());
    }
}
