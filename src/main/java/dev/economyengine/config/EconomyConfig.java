package dev.economyengine.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The worker's configuration, validated by {@link ConfigLoader}. See the README for every key, its
 * environment variable and its default.
 *
 * @param bootstrapServers empty: start the embedded single-node broker
 * @param rulesFile the economy file (currencies and earning rules); empty: the one shipped in the jar
 * @param transactionalId empty: derived from the group, the host name and the data directory
 * @param commit when the worker commits the Kafka transaction it keeps open across polls
 * @param workerThreads poll loops in this process, each a member of the group with partitions of its own
 * @param shutdownTimeout the longest a stop (SIGTERM) may take, all of it; past it the process halts
 * @param replyTopicPattern a request's reply topic ({@code kafka_replyTopic}) must match it in full
 * @param kafka client properties for all Kafka clients (keys without the {@code kafka.} prefix)
 * @param kafkaConsumer, kafkaProducer, kafkaAdmin properties for one kind of client only
 */
public record EconomyConfig(
        Optional<String> bootstrapServers,
        int embeddedKafkaPort,
        Path dataDir,
        Optional<Path> rulesFile,
        String groupId,
        TopicNames topics,
        Optional<String> transactionalId,
        int topicPartitions,
        Duration pollTimeout,
        Duration mergeMaxWait,
        int maxBatchRecords,
        Commit commit,
        int workerThreads,
        Duration balanceCacheTtl,
        Duration shutdownTimeout,
        Pattern replyTopicPattern,
        Http http,
        Map<String, String> kafka,
        Map<String, String> kafkaConsumer,
        Map<String, String> kafkaProducer,
        Map<String, String> kafkaAdmin) {

    public EconomyConfig {
        kafka = Map.copyOf(kafka);
        kafkaConsumer = Map.copyOf(kafkaConsumer);
        kafkaProducer = Map.copyOf(kafkaProducer);
        kafkaAdmin = Map.copyOf(kafkaAdmin);
    }

    /**
     * The query API's HTTP server.
     *
     * @param host the address to listen on; 0.0.0.0 for every interface
     * @param port 0 for a free port, chosen at start
     * @param advertisedUrl how other workers and clients reach this one; empty: {@code http://} the
     *     listening address (or, for 0.0.0.0, this machine's host name) and the bound port
     * @param writeToken the bearer token every write must carry; empty: writes are refused
     * @param readToken the bearer token every query must carry (or the write token); empty: queries are open
     */
    public record Http(String host, int port, Optional<URI> advertisedUrl, Optional<Secret> writeToken,
            Optional<Secret> readToken) {}

    /**
     * When the Kafka transaction the worker keeps open across polls commits.
     *
     * @param maxDelay the longest a request in the open transaction waits for the commit
     * @param maxRecords a transaction holding this many requests commits at once
     */
    public record Commit(Duration maxDelay, int maxRecords) {}

    /** Topic names as configured. */
    public record TopicNames(String earnRequests, String spendRequests, String results, String balanceChanged,
            String dlq, String changelog) {}

    public Map<String, String> consumerProperties() {
        return merged(kafkaConsumer);
    }

    public Map<String, String> producerProperties() {
        return merged(kafkaProducer);
    }

    public Map<String, String> adminProperties() {
        return merged(kafkaAdmin);
    }

    private Map<String, String> merged(Map<String, String> specific) {
        var all = new java.util.HashMap<>(kafka);
        all.putAll(specific);
        return all;
    }
}
