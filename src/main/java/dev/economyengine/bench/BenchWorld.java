package dev.economyengine.bench;

import dev.economyengine.config.ConfigException;
import dev.economyengine.config.ConfigLoader;
import dev.economyengine.config.EconomyConfig;
import dev.economyengine.messaging.ClientProperties;
import dev.economyengine.messaging.CommitPolicy;
import dev.economyengine.messaging.TopicSetup;
import dev.economyengine.messaging.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The broker, topics and directories of one benchmark run. The broker is the configured one, or one
 * the run starts: in a process of its own, or in-process in a fresh temporary directory; topics and
 * groups carry a run id of their own, so a run never reads another run's records. Closing removes what
 * the run created.
 */
final class BenchWorld implements AutoCloseable {
    private final Path directory;
    private final BenchBroker broker;
    /** False for a sibling, which shares its parent's broker. */
    private final boolean ownsBroker;
    private final String bootstrapServers;
    private final String runId;
    private final Topics topics;
    private final List<String> passthroughTopics;
    private final List<String> pacedPassthroughInputs;
    private final List<String> pacedPassthroughOutputs;
    private final int partitions;
    private final EconomyConfig engineConfig;
    private final Map<String, String> env;

    private BenchWorld(Path directory, BenchBroker broker, boolean ownsBroker, String runId, Map<String, String> env) {
        this.directory = directory;
        this.broker = broker;
        this.ownsBroker = ownsBroker;
        this.bootstrapServers = broker.bootstrapServers();
        this.runId = runId;
        this.env = env;
        String prefix = "bench-" + runId + ".";
        this.topics = new Topics(prefix + "earn", prefix + "spend", prefix + "results", prefix + "balance-changed",
                prefix + "dlq", prefix + "changelog");
        this.passthroughTopics = List.of(prefix + "passthrough", prefix + "passthrough-2", prefix + "passthrough-3");
        this.pacedPassthroughInputs = List.of(prefix + "paced-earn", prefix + "paced-spend");
        this.pacedPassthroughOutputs = List.of(prefix + "paced-out", prefix + "paced-out-2", prefix + "paced-out-3");
        this.engineConfig = ConfigLoader.load(engineEnv(env));
        try (Admin admin = admin()) {
            this.partitions = TopicSetup.ensure(admin, topics, engineConfig.topicPartitions());
            admin.createTopics(ownTopics().stream()
                            .map(name -> new NewTopic(name, Optional.of(partitions), Optional.empty())).toList())
                    .all().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create " + ownTopics() + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        }
    }

    /**
     * Starts (or connects to) the broker and creates the run's topics.
     *
     * @param brokerProcess start a broker in a process of its own rather than use the configured one or
     *     an in-process one; refused when a broker is configured, whose figures the run would not give
     */
    static BenchWorld create(Map<String, String> env, boolean brokerProcess) {
        EconomyConfig configured = ConfigLoader.load(env);
        if (brokerProcess && configured.bootstrapServers().isPresent()) {
            throw new ConfigException("--broker-process starts a broker of its own, but bootstrap.servers is set to "
                    + configured.bootstrapServers().get() + ": unset it, or leave out --broker-process to use that broker");
        }
        Path directory = createTempDirectory();
        BenchBroker broker = null;
        try {
            if (brokerProcess) {
                broker = BrokerProcess.start();
            } else if (configured.bootstrapServers().isPresent()) {
                broker = new BenchBroker.External(configured.bootstrapServers().get());
            } else {
                broker = BenchBroker.InProcess.start(directory.resolve("kafka"));
            }
            return new BenchWorld(directory, broker, true, UUID.randomUUID().toString().substring(0, 8), env);
        } catch (RuntimeException e) {
            if (broker != null) {
                broker.close();
            }
            deleteRecursively(directory);
            throw e;
        }
    }

    /**
     * Another world on this one's broker, with topics, groups and a directory of its own; closing it
     * removes them and leaves the broker running.
     */
    BenchWorld sibling() {
        String siblingId = UUID.randomUUID().toString().substring(0, 8);
        Path siblingDirectory = directory.resolve("sibling-" + siblingId);
        try {
            Files.createDirectories(siblingDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + siblingDirectory, e);
        }
        return new BenchWorld(siblingDirectory, broker, false, siblingId, env);
    }

    /**
     * The operator's environment, pointed at this run's broker, topics, group and data directory, with
     * the worker's HTTP API on a free loopback port (a worker of the operator's may hold the usual one).
     */
    private Map<String, String> engineEnv(Map<String, String> env) {
        Map<String, String> overridden = new HashMap<>(env);
        overridden.put(ConfigLoader.envName("bootstrap.servers"), bootstrapServers);
        overridden.put(ConfigLoader.envName("data.dir"), directory.resolve("data").toString());
        overridden.put(ConfigLoader.envName("group.id"), name("worker"));
        overridden.put(ConfigLoader.envName("transactional.id"), name("worker"));
        overridden.put(ConfigLoader.envName("topic.earn-requests"), topics.earnRequests());
        overridden.put(ConfigLoader.envName("topic.spend-requests"), topics.spendRequests());
        overridden.put(ConfigLoader.envName("topic.results"), topics.results());
        overridden.put(ConfigLoader.envName("topic.balance-changed"), topics.balanceChanged());
        overridden.put(ConfigLoader.envName("topic.dlq"), topics.dlq());
        overridden.put(ConfigLoader.envName("topic.changelog"), topics.changelog());
        overridden.put(ConfigLoader.envName("http.host"), "127.0.0.1");
        overridden.put(ConfigLoader.envName("http.port"), "0");
        overridden.remove(ConfigLoader.envName("http.advertised-url"));
        return overridden;
    }

    /** The configuration of the worker under test. */
    EconomyConfig engineConfig() {
        return engineConfig;
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    BenchBroker.Kind brokerKind() {
        return broker.kind();
    }

    /** The broker's CPU so far, where the run can see it. */
    CpuMeter brokerCpu() {
        return broker.cpu();
    }

    /**
     * When the worker's Kafka transactions commit (commit.max-delay.ms, commit.max-records), which the
     * paced passthrough follows too, so that the two are compared at the same commit policy.
     */
    CommitPolicy commitPolicy() {
        EconomyConfig.Commit commit = engineConfig().commit();
        return new CommitPolicy(commit.maxDelay(), commit.maxRecords());
    }

    Topics topics() {
        return topics;
    }

    /**
     * The passthrough's output topics, as many as the worker's (results, balance changes, changelog):
     * the plain passthrough writes to the first only.
     */
    List<String> passthroughTopics() {
        return passthroughTopics;
    }

    /**
     * Where the latency ceiling's passthrough reads paced requests (earn, then spend): topics of their
     * own, so that the worker, running meanwhile, never sees them.
     */
    List<String> pacedPassthroughInputs() {
        return pacedPassthroughInputs;
    }

    /** Where the latency ceiling's passthrough copies them, three records per request. */
    List<String> pacedPassthroughOutputs() {
        return pacedPassthroughOutputs;
    }

    /** The paced requests and results of the worker's latency phase. */
    LatencyProbe.Route workerRoute() {
        return new LatencyProbe.Route(topics.earnRequests(), topics.spendRequests(), topics.results());
    }

    /** The topics of the ceilings, beside the worker's. */
    private List<String> ownTopics() {
        return Stream.of(passthroughTopics, pacedPassthroughInputs, pacedPassthroughOutputs)
                .flatMap(List::stream).toList();
    }

    int partitions() {
        return partitions;
    }

    /** A name unique to this run, for the groups and transactional ids of its clients. */
    String name(String what) {
        return "bench-" + runId + "-" + what;
    }

    Path directory() {
        return directory;
    }

    Path shardDirectory() {
        return engineConfig.dataDir().resolve("ledger");
    }

    Admin admin() {
        return Admin.create(ClientProperties.admin(bootstrapServers, engineConfig.adminProperties()));
    }

    /** A consumer without a group that reads only committed records, for the benchmark's observers. */
    Map<String, Object> observerConsumer() {
        Map<String, Object> props = new HashMap<>(engineConfig.consumerProperties());
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // Bounds how long an idle fetch waits, so that a result is seen as soon as it is readable.
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return props;
    }

    @Override
    public void close() {
        try {
            // A sibling, or a world on a cluster: remove what it created there. A broker the run started
            // goes with all its topics.
            if (!ownsBroker || broker.kind() == BenchBroker.Kind.EXTERNAL) {
                deleteTopics();
            }
        } finally {
            try {
                if (ownsBroker) {
                    broker.close();
                }
            } finally {
                deleteRecursively(directory);
            }
        }
    }

    private void deleteTopics() {
        List<String> names = Stream.concat(topics.all().stream(), ownTopics().stream()).toList();
        try (Admin admin = admin()) {
            admin.deleteTopics(names).all().get();
        } catch (ExecutionException e) {
            System.err.println("bench: could not delete topics " + names + ": " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Path createTempDirectory() {
        try {
            return Files.createTempDirectory("economy-bench");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory", e);
        }
    }

    static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }
}
