package dev.economyengine.testing;

import dev.economyengine.app.EconomyEngine;
import dev.economyengine.config.ConfigLoader;
import dev.economyengine.messaging.TopicSetup;
import dev.economyengine.messaging.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;

/**
 * One test's world on the shared broker: topics and a consumer group of its own, a data directory,
 * and the environment variables an operator would set to start a worker against it.
 */
public final class EconomyTestEnvironment {
    private final Path dataDir;
    private final Topics topics;
    private final String groupId;
    private final String bootstrapServers;
    private final Map<String, String> env = new HashMap<>();

    public EconomyTestEnvironment(Path workDir, int partitions) {
        this(workDir, partitions, TestKafka.bootstrapServers());
    }

    /** A world on a broker of the test's own (one it stops and restarts), rather than the shared one. */
    public EconomyTestEnvironment(Path workDir, int partitions, String bootstrapServers) {
        String id = UUID.randomUUID().toString().substring(0, 8);
        this.dataDir = workDir.resolve("data");
        this.topics = new Topics("t" + id + ".earn", "t" + id + ".spend", "t" + id + ".results",
                "t" + id + ".balance-changed", "t" + id + ".dlq", "t" + id + ".changelog");
        this.groupId = "economy-test-" + id;
        this.bootstrapServers = bootstrapServers;
        try {
            Path configFile = workDir.resolve("economy.properties");
            Files.writeString(configFile, "# test configuration: everything comes from the environment\n");
            env.put("ECONOMY_CONFIG", configFile.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        env.put("ECONOMY_BOOTSTRAP_SERVERS", bootstrapServers);
        // Earn as often as a test likes: a test of limits sets a file of its own.
        env.put("ECONOMY_RULES_FILE", TestEconomy.WITHOUT_LIMITS.toString());
        env.put("ECONOMY_DATA_DIR", dataDir.toString());
        env.put("ECONOMY_GROUP_ID", groupId);
        env.put("ECONOMY_TOPIC_EARN_REQUESTS", topics.earnRequests());
        env.put("ECONOMY_TOPIC_SPEND_REQUESTS", topics.spendRequests());
        env.put("ECONOMY_TOPIC_RESULTS", topics.results());
        env.put("ECONOMY_TOPIC_BALANCE_CHANGED", topics.balanceChanged());
        env.put("ECONOMY_TOPIC_DLQ", topics.dlq());
        env.put("ECONOMY_TOPIC_CHANGELOG", topics.changelog());
        env.put("ECONOMY_TOPIC_PARTITIONS", Integer.toString(partitions));
        // Short session timeouts let a restarted worker take its partitions back quickly in tests.
        env.put("ECONOMY_KAFKA_CONSUMER_SESSION_TIMEOUT_MS", "6000");
        env.put("ECONOMY_KAFKA_CONSUMER_HEARTBEAT_INTERVAL_MS", "500");
        // Every worker gets an HTTP API: on a free port, so that several can run at once, and on
        // loopback only, so that the URL it advertises (and redirects to) stays on this machine.
        env.put("ECONOMY_HTTP_PORT", "0");
        env.put("ECONOMY_HTTP_HOST", "127.0.0.1");
    }

    /** Creates this world's topics up front, as an operator would, before any worker starts. */
    public void createTopics(int partitions) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            TopicSetup.ensure(admin, topics, partitions);
        }
    }

    public EconomyTestEnvironment with(String variable, String value) {
        env.put(variable, value);
        return this;
    }

    /** The environment variables of a worker of this world, for a worker process. */
    public Map<String, String> env() {
        return Map.copyOf(env);
    }

    public EconomyEngine startEngine() {
        return EconomyEngine.start(ConfigLoader.load(env));
    }

    public Topics topics() {
        return topics;
    }

    public Path dataDir() {
        return dataDir;
    }

    public String groupId() {
        return groupId;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }
}
