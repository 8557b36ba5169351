package dev.economyengine.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the topics that are missing and checks that the two request topics and the changelog have
 * the same partition count, which the per-partition shards rely on. Refuses to start otherwise.
 */
public final class TopicSetup {
    private static final Logger log = LoggerFactory.getLogger(TopicSetup.class);
    private static final Duration METADATA_WAIT = Duration.ofSeconds(30);

    private TopicSetup() {}

    /** Returns the partition count shared by the request topics and the changelog. */
    public static int ensure(Admin admin, Topics topics, int partitionsForNewTopics) {
        try {
            Set<String> existing = admin.listTopics().names().get();
            // Topics created now follow the request topics if those exist already.
            int partitions = existing.contains(topics.earnRequests())
                    ? describe(admin, List.of(topics.earnRequests())).get(topics.earnRequests()).partitions().size()
                    : partitionsForNewTopics;
            createMissing(admin, topics, existing, partitions);
            Map<String, TopicDescription> described =
                    describe(admin, List.of(topics.earnRequests(), topics.spendRequests(), topics.changelog()));
            int earn = described.get(topics.earnRequests()).partitions().size();
            for (String topic : List.of(topics.spendRequests(), topics.changelog())) {
                int count = described.get(topic).partitions().size();
                if (count != earn) {
                    throw new IllegalStateException("topic " + topic + " has " + count + " partitions but "
                            + topics.earnRequests() + " has " + earn + ": the request topics and the changelog "
                            + "must have the same partition count");
                }
            }
            return earn;
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot set up topics: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while setting up topics", e);
        }
    }

    /** Describes the topics, waiting (bounded) for just-created ones to reach the broker's metadata. */
    private static Map<String, TopicDescription> describe(Admin admin, List<String> names)
            throws ExecutionException, InterruptedException {
        long deadline = System.nanoTime() + METADATA_WAIT.toNanos();
        while (true) {
            try {
                return admin.describeTopics(names).allTopicNames().get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    private static void createMissing(Admin admin, Topics topics, Set<String> existing, int partitions)
            throws ExecutionException, InterruptedException {
        List<NewTopic> missing = new ArrayList<>();
        for (String topic : topics.all()) {
            if (!existing.contains(topic)) {
                // The broker's default replication factor: a production cluster sets it to 3.
                NewTopic created = new NewTopic(topic, Optional.of(partitions), Optional.empty());
                if (topic.equals(topics.changelog())) {
                    // The changelog is the ledger's source of truth: it is never deleted or compacted.
                    created.configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1",
                            TopicConfig.RETENTION_BYTES_CONFIG, "-1",
                            TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE));
                }
                missing.add(created);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        log.info("creating topics {} with {} partitions", missing.stream().map(NewTopic::name).toList(), partitions);
        try {
            admin.createTopics(missing).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
            // Another worker created it at the same moment: fine, the counts are checked next.
        }
    }
}
