package dev.economyengine.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.economyengine.config.ConfigLoader;
import dev.economyengine.config.EconomyConfig;
import dev.economyengine.messaging.ClientProperties;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code economy-engine demo}: publishes a handful of requests for a fresh user, the way a game service
 * would, and tells in words what the worker answered to each.
 *
 * <p>It never disturbs a running worker. When a worker already answers at the configured bootstrap servers
 * (its group has members), the demo talks to that one and starts nothing. Otherwise it starts a worker of
 * its own, with an embedded broker, on a fresh temporary data directory and free ports (so neither the
 * configured data directory nor port 9092 is touched), and deletes that directory when it ends.
 */
final class Demo {
    static final String COMMAND = "economy-engine demo";
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request, and how to say what it is. */
    private record Step(String topic, String requestId, String json, String description) {}

    private final EconomyConfig.TopicNames topics;
    private final String bootstrapServers;
    private final Map<String, String> clientProperties;
    private final PrintStream out;

    private Demo(EconomyConfig config, String bootstrapServers, PrintStream out) {
        this.topics = config.topics();
        this.bootstrapServers = bootstrapServers;
        this.clientProperties = config.kafka();
        this.out = out;
    }

    /** Returns the exit code: 0 once every request was answered, 1 if one was not. */
    static int run(EconomyConfig config, Map<String, String> env, PrintStream out) {
        if (config.bootstrapServers().isPresent()) {
            String servers = config.bootstrapServers().get();
            Optional<String> noWorker = whyNoWorkerAnswers(config, servers);
            if (noWorker.isEmpty()) {
                out.println("A worker answers at " + servers + " (group " + config.groupId() + "): the demo sends"
                        + " its requests there and starts nothing of its own.");
                return new Demo(config, servers, out).play();
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
                return new Demo(config, engine.bootstrapServers(), out).play();
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

    private int play() {
        String user = "demo-" + UUID.randomUUID().toString().substring(0, 8);
        List<Step> steps = List.of(
                earn(user, "r1", "daily_login", "earn daily_login for user " + user),
                earn(user, "r2", "game_completion", "earn game_completion"),
                spend(user, "r3", 45, "sku:sword", "spend 45 on sku:sword"),
                spend(user, "r4", 500, "sku:castle", "spend more than the balance (500 on sku:castle)"),
                spend(user, "r3", 45, "sku:sword", "retry of the same request (r3, spend 45 on sku:sword)"),
                earn(user, "r5", "found_a_coin", "earn found_a_coin, an action the earning rules do not know"));
        out.println("Sending " + steps.size() + " requests for user " + user + ", one at a time:");
        try (var producer = new KafkaProducer<String, String>(producerProperties());
                var consumer = new KafkaConsumer<byte[], byte[]>(
                        ClientProperties.restoreConsumer(bootstrapServers, clientProperties))) {
            Answers answers = new Answers(consumer, user);
            long balance = 0;
            int applied = 0;
            for (Step step : steps) {
                producer.send(new ProducerRecord<>(step.topic(), user, step.json()));
                producer.flush();
                Optional<JsonNode> result = answers.resultOf(step.requestId());
                if (result.isEmpty()) {
                    out.println("  " + step.description() + ": no answer within " + ANSWER_TIMEOUT.toSeconds()
                            + " s. Is the worker running?");
                    return 1;
                }
                out.println("  " + step.description() + ": " + describe(result.get(), balance));
                balance = result.get().path("balance").asLong(balance);
                boolean changedBalance = result.get().path("status").asText().equals("ACCEPTED")
                        && !result.get().path("duplicate").asBoolean();
                applied += changedBalance ? 1 : 0;
            }
            out.println("Balance-changed events: " + answers.awaitBalanceChanges(applied)
                    + ", one for each request applied.");
            out.println("Demo done: every request answered once, nothing applied twice; final balance " + balance + ".");
            return 0;
        }
    }

    private Step earn(String user, String requestId, String action, String description) {
        return new Step(topics.earnRequests(), requestId, "{\"requestId\":\"" + requestId + "\",\"userId\":\"" + user
                + "\",\"action\":\"" + action + "\"}", description);
    }

    private Step spend(String user, String requestId, long amount, String reason, String description) {
        return new Step(topics.spendRequests(), requestId, "{\"requestId\":\"" + requestId + "\",\"userId\":\"" + user
                + "\",\"amount\":" + amount + ",\"reason\":\"" + reason + "\"}", description);
    }

    /** "ACCEPTED, balance 10"; "REJECTED INSUFFICIENT_BALANCE, balance unchanged"; a duplicate said so. */
    static String describe(JsonNode result, long balanceBefore) {
        long balance = result.path("balance").asLong();
        if (result.path("duplicate").asBoolean()) {
            return "answered as a duplicate, nothing applied twice (balance " + balance + ")";
        }
        if (result.path("status").asText().equals("ACCEPTED")) {
            return "ACCEPTED, balance " + balance;
        }
        return "REJECTED " + result.path("code").asText() + ", "
                + (balance == balanceBefore ? "balance unchanged" : "balance " + balance);
    }

    private Map<String, Object> producerProperties() {
        Map<String, Object> properties = new HashMap<>(clientProperties);
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return properties;
    }

    /** The results and balance changes for the demo's user, read from the moment the demo starts. */
    private final class Answers {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final String user;
        private final Queue<JsonNode> results = new ArrayDeque<>();
        private int balanceChanges;

        Answers(KafkaConsumer<byte[], byte[]> consumer, String user) {
            this.consumer = consumer;
            this.user = user;
            List<TopicPartition> partitions = Stream.of(topics.results(), topics.balanceChanged())
                    .flatMap(topic -> consumer.partitionsFor(topic).stream())
                    .map(info -> new TopicPartition(info.topic(), info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            // Positions are resolved lazily: resolve them now, before the first request is sent.
            partitions.forEach(consumer::position);
        }

        /** The next result for this request id, in the order the worker answered. */
        Optional<JsonNode> resultOf(String requestId) {
            long deadline = System.nanoTime() + ANSWER_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                for (JsonNode result = results.poll(); result != null; result = results.poll()) {
                    if (result.path("requestId").asText().equals(requestId)) {
                        return Optional.of(result);
                    }
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    read(record);
                }
            }
            return Optional.empty();
        }

        /**
         * How many balance changes arrived, once {@code expected} have or the answer timeout passed: each is
         * committed with its result, but may be read a poll after it.
         */
        int awaitBalanceChanges(int expected) {
            long deadline = System.nanoTime() + ANSWER_TIMEOUT.toNanos();
            while (balanceChanges < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    read(record);
                }
            }
            return balanceChanges;
        }

        private void read(ConsumerRecord<byte[], byte[]> record) {
            if (record.key() == null || !user.equals(new String(record.key(), StandardCharsets.UTF_8))) {
                return;
            }
            if (record.topic().equals(topics.balanceChanged())) {
                balanceChanges++;
                return;
            }
            try {
                results.add(JSON.readTree(record.value()));
            } catch (IOException e) {
                throw new UncheckedIOException("the worker published a result that is not JSON", e);
            }
        }
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
