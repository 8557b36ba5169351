package dev.economyengine.messaging;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the topics that are missing and checks that the two request topics have the same
 * partition count, which the per-partition shards rely on. Refuses to start otherwise.
 */
public final class TopicSetup {
    private static final Logger log = LoggerFactory.getLogger(TopicSetup.class);

    private TopicSetup() {}

    /** Returns the partition count of the request topics. */
    public static int ensure(Admin admin, Topics topics, int partitionsForNewTopics) {
        try {
            createMissing(admin, topics, partitionsForNewTopics);
            Map<String, TopicDescription> described = admin.describeTopics(topics.requestTopics()).allTopicNames().get();
            int earn = described.get(topics.earnRequests()).partitions().size();
            int spend = described.get(topics.spendRequests()).partitions().size();
            if (earn != spend) {
                throw new IllegalStateException("topic " + topics.earnRequests() + " has " + earn + " partitions but "
                        + topics.spendRequests() + " has " + spend
                        + ": both request topics must have the same partition count");
            }
            return earn;
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot set up topics: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while setting up topics", e);
        }
    }

    private static void createMissing(Admin admin, Topics topics, int partitions)
            throws ExecutionException, InterruptedException {
        var existing = admin.listTopics().names().get();
        List<NewTopic> missing = new ArrayList<>();
        for (String topic : topics.all()) {
            if (!existing.contains(topic)) {
                // The broker's default replication factor: a production cluster sets it to 3.
                missing.add(new NewTopic(topic, Optional.of(partitions), Optional.empty()));
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        log.info("creating topics {} with {} partitions",
                missing.stream().map(NewTopic::name).collect(Collectors.toList()), partitions);
        try {
            admin.createTopics(missing).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
            // Another worker created it at the same moment: fine.
        }
    }
}
