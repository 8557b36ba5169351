package dev.economyengine.app;

import dev.economyengine.config.ConfigLoader;
import dev.economyengine.config.EconomyConfig;
import dev.economyengine.messaging.ClientProperties;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/**
 * {@code economy-engine demo}: finds a worker to play {@link DemoScript} against, never disturbing one that
 * runs. When a worker already answers at the configured bootstrap servers (its group has members), the demo
 * talks to that one and starts nothing. Otherwise it starts a worker of its own, with an embedded broker, on
 * a fresh temporary data directory and free ports (so neither the configured data directory nor port 9092
 * is touched), and deletes that directory when it ends.
 */
final class Demo {
    static final String COMMAND = "economy-engine demo";
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);

    private Demo() {}

    /** Returns the exit code: 0 once every request was answered, 1 if one was not. */
    static int run(EconomyConfig config, Map<String, String> env, PrintStream out) {
        if (config.bootstrapServers().isPresent()) {
            String servers = config.bootstrapServers().get();
            Optional<String> noWorker = whyNoWorkerAnswers(config, servers);
            if (noWorker.isEmpty()) {
                out.println("A worker answers at " + servers + " (group " + config.groupId() + "): the demo sends"
                        + " its requests there and starts nothing of its own.");
                return new DemoScript(config, servers, out).play();
            }
            out.println(noWorker.get() + ": the demo runs a worker of its own instead.");
        }
        return runOwnWorker(env, out);
    }

    /** Empty when the cluster answers and the worker's group has members; otherwise why not. */
    private static Optional<String> whyNoWorkerAnswers(EconomyConfig config, String servers) {
        Map<String, Object> properties = new HashMap<>(ClientProperties.admin(servers, config.adminProperties()));
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) PROBE_TIMEOUT.toMillis());
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) PROBE_TIMEOUT.toMillis());
        try (Admin admin = Admin.create(properties)) {
            admin.describeCluster().nodes().get(PROBE_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(config.groupId()))
                    .describedGroups().get(config.groupId()).get(PROBE_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
            return group.members().isEmpty()
                    ? Optional.of("No worker is in group " + config.groupId() + " at " + servers)
                    : Optional.empty();
        } catch (ExecutionException e) {
            return e.getCause() instanceof GroupIdNotFoundException
                    ? Optional.of("No worker is in group " + config.groupId() + " at " + servers)
                    : Optional.of("Kafka at " + servers + " does not answer (" + e.getCause() + ")");
        } catch (TimeoutException e) {
            return Optional.of("Kafka at " + servers + " does not answer within " + PROBE_TIMEOUT.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        }
    }

    private static int runOwnWorker(Map<String, String> env, PrintStream out) {
        Path dataDir;
        try {
            dataDir = Files.createTempDirectory("economy-demo-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary data directory for the demo", e);
        }
        out.println("Starting a worker of its own, with an embedded Kafka broker, on the temporary data directory "
                + dataDir + " and free ports; the directory is deleted when the demo ends, and any worker already"
                + " running is left alone.");
        AtomicReference<EconomyEngine> started = new AtomicReference<>();
        // Ctrl-C: stop the demo's worker and remove its directory all the same.
        Thread cleanUp = new Thread(() -> {
            Optional.ofNullable(started.get()).ifPresent(EconomyEngine::shutDown);
            deleteQuietly(dataDir);
        }, "economy-demo-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanUp);
        try {
            EconomyConfig config = ConfigLoader.load(ownWorkerEnvironment(env, dataDir));
            try (EconomyEngine engine = EconomyEngine.start(config, COMMAND)) {
                started.set(engine);
                out.println("Its worker is up: Kafka at " + engine.bootstrapServers() + ", HTTP API at "
                        + engine.httpUrl() + ".");
                return new DemoScript(config, engine.bootstrapServers(), out).play();
            }
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(cleanUp);
            } catch (IllegalStateException e) {
                // The JVM is shutting down: the hook cleans up.
            }
            deleteQuietly(dataDir);
        }
    }

    /**
     * The user's configuration (rules, topics, group, ...) on a directory and ports of the demo's own. The
     * Kafka client settings from the environment are left out: they are for the configured cluster, and
     * the embedded broker speaks plain text on loopback.
     */
    private static Map<String, String> ownWorkerEnvironment(Map<String, String> env, Path dataDir) {
        Map<String, String> own = new HashMap<>(env);
        own.keySet().removeIf(name -> name.startsWith("ECONOMY_KAFKA_"));
        own.put(ConfigLoader.envName("bootstrap.servers"), "");
        own.put(ConfigLoader.envName("data.dir"), dataDir.toString());
        own.put(ConfigLoader.envName("embedded.kafka.port"), "0");
        own.put(ConfigLoader.envName("http.host"), "127.0.0.1");
        own.put(ConfigLoader.envName("http.port"), "0");
        own.put(ConfigLoader.envName("http.advertised-url"), "");
        own.put(ConfigLoader.envName("transactional.id"), "");
        return own;
    }

    private static void deleteQuietly(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException | UncheckedIOException e) {
            System.err.println("could not delete the demo's temporary directory " + directory + ": " + e);
        }
    }
}
