package dev.economyengine.app;

import dev.economyengine.bench.RunningEngine;
import dev.economyengine.broker.EmbeddedKafkaBroker;
import dev.economyengine.config.EconomyConfig;
import dev.economyengine.config.RulesLoader;
import dev.economyengine.config.Secret;
import dev.economyengine.http.AccessTokens;
import dev.economyengine.http.Health;
import dev.economyengine.http.HttpEndpoint;
import dev.economyengine.http.HttpOptions;
import dev.economyengine.http.RequestSubmitter;
import dev.economyengine.ledger.Currency;
import dev.economyengine.ledger.Economy;
import dev.economyengine.lock.DirectoryLock;
import dev.economyengine.lock.StartRefusedException;
import dev.economyengine.messaging.ClientProperties;
import dev.economyengine.messaging.CommitPolicy;
import dev.economyengine.messaging.EndpointAwareAssignor.PartitionOwners;
import dev.economyengine.messaging.EndpointAwareAssignor;
import dev.economyengine.messaging.OwnedShards;
import dev.economyengine.messaging.ReplicationCheck;
import dev.economyengine.messaging.TopicSetup;
import dev.economyengine.messaging.Topics;
import dev.economyengine.messaging.Worker;
import dev.economyengine.messaging.WorkerOptions;
import dev.economyengine.ops.EngineMetrics;
import dev.economyengine.store.ShardStore;
import dev.economyengine.store.StoreOptions;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running worker with everything it needs, built from one configuration in numbered stages, in a data
 * directory it holds alone (see {@link DirectoryLock}). Closing it stops the worker (finishing the batch
 * in hand), then the HTTP API, then the embedded broker if any, then releases the data directory; all of
 * it within {@code shutdown.timeout.ms} (see {@link #shutDown()}).
 */
public final class EconomyEngine implements RunningEngine {
    private static final Logger log = LoggerFactory.getLogger(EconomyEngine.class);
    /** The data directory's lock names its owner by this command unless told another. */
    static final String RUN_COMMAND = "economy-engine run";

    private final DirectoryLock dataDirLock;
    private final Optional<EmbeddedKafkaBroker> broker;
    private final String bootstrapServers;
    private final List<Worker> lanes;
    private final List<Thread> laneThreads = new ArrayList<>();
    /** Counted down when any lane's thread ends: one lane failing stops the process. */
    private final CountDownLatch laneEnded = new CountDownLatch(1);
    private final OwnedShards owned;
    private final HttpEndpoint http;
    /** The Kafka client of the HTTP writes; empty while no write token is set. */
    private final Optional<ClientRequestSubmitter> httpWrites;
    private final EngineMetrics metrics;
    private final ShutdownSequence shutdown;

    private EconomyEngine(DirectoryLock dataDirLock, Optional<EmbeddedKafkaBroker> broker, String bootstrapServers,
            List<Worker> lanes, OwnedShards owned, HttpEndpoint http, Optional<ClientRequestSubmitter> httpWrites,
            EngineMetrics metrics, Duration shutdownTimeout) {
        this.dataDirLock = dataDirLock;
        this.broker = broker;
        this.bootstrapServers = bootstrapServers;
        this.lanes = List.copyOf(lanes);
        this.owned = owned;
        this.http = http;
        this.httpWrites = httpWrites;
        this.metrics = metrics;
        for (int lane = 0; lane < lanes.size(); lane++) {
            Worker worker = lanes.get(lane);
            laneThreads.add(new Thread(() -> {
                try {
                    worker.run();
                } finally {
                    laneEnded.countDown();
                }
            }, "economy-worker-" + lane));
        }
        this.shutdown = new ShutdownSequence(shutdownSteps(), shutdownTimeout);
    }

    /** In order: the lanes (the batch in hand is finished), then what they used, the data directory last. */
    private List<ShutdownSequence.Step> shutdownSteps() {
        List<ShutdownSequence.Step> steps = new ArrayList<>();
        steps.add(new ShutdownSequence.Step("worker lanes", this::lanesStillRunning, () -> {
            lanes.forEach(Worker::stop);
            try {
                for (Thread thread : laneThreads) {
                    thread.join();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        // After the worker: /health/ready says "stopped" while the last batch drains.
        steps.add(ShutdownSequence.Step.named("HTTP server", http::close));
        // After the server: no write can arrive then. Writes still waiting fail; their requests may yet
        // be decided, by another worker.
        httpWrites.ifPresent(writes -> steps.add(ShutdownSequence.Step.named("HTTP writes' Kafka client", writes::close)));
        steps.add(ShutdownSequence.Step.unreported("metrics", metrics::close));
        broker.ifPresent(embedded -> steps.add(ShutdownSequence.Step.named("embedded broker", embedded::close)));
        // The operating system releases it anyway when the process ends.
        steps.add(ShutdownSequence.Step.unreported("data directory lock", dataDirLock::close));
        return steps;
    }

    private List<String> lanesStillRunning() {
        List<String> running = new ArrayList<>();
        for (int lane = 0; lane < laneThreads.size(); lane++) {
            Thread thread = laneThreads.get(lane);
            if (thread.isAlive()) {
                running.add("worker lane " + lane + " (" + ThreadActivity.of(thread) + ")");
            }
        }
        return running;
    }

    public static EconomyEngine start(EconomyConfig config) {
        return start(config, RUN_COMMAND);
    }

    /**
     * Starts everything; {@code command} (such as "economy-engine demo") names this process to another
     * that finds the data directory in use. Throws {@link StartRefusedException} if the data directory, the
     * embedded broker's port or the HTTP port is in use.
     */
    public static EconomyEngine start(EconomyConfig config, String command) {
        // 0. The data directory, before anything else: a second process on it would share its broker's
        //    log directory and its shards with the first, and damage both.
        DirectoryLock dataDirLock = DirectoryLock.acquire(config.dataDir(), "data directory", command,
                "stop it or set ECONOMY_DATA_DIR to another directory");
        try {
            return start(config, command, dataDirLock);
        } catch (RuntimeException e) {
            dataDirLock.close();
            throw e;
        }
    }

    private static EconomyEngine start(EconomyConfig config, String command, DirectoryLock dataDirLock) {
        // 1. The economy first: a bad economy file should stop start-up before anything is started.
        Economy economy = RulesLoader.load(config.rulesFile());
        log.info("economy file: rules version {}, currencies {}, default {}", economy.rulesVersion(),
                economy.currencies().stream().map(Currency::code).toList(), economy.defaultCurrency());

        // 2. The broker: the configured cluster, or an embedded one for a machine with no Kafka.
        Optional<EmbeddedKafkaBroker> broker = config.bootstrapServers().isPresent()
                ? Optional.empty()
                : Optional.of(EmbeddedKafkaBroker.start(config.dataDir().resolve("kafka"), config.embeddedKafkaPort(),
                        command));
        String bootstrap = config.bootstrapServers().orElseGet(() -> broker.get().bootstrapServers());
        HttpEndpoint http = null;
        EngineMetrics metrics = null;
        Optional<ClientRequestSubmitter> httpWrites = Optional.empty();
        try {
            // 3. Topics: create what is missing, refuse mismatched request topics.
            Topics topics = topics(config);
            int partitions;
            try (Admin admin = Admin.create(ClientProperties.admin(bootstrap, config.adminProperties()))) {
                partitions = TopicSetup.ensure(admin, topics, config.topicPartitions());
                if (broker.isEmpty()) {
                    // The embedded broker is safe with its one replica: it stops only after this
                    // process's worker has, so no commit of ours is in flight when it goes.
                    ReplicationCheck.reportSingleReplicaTopics(admin, topics);
                }
                log.info("request topics have {} partitions; shards live in {}", partitions, shardDir(config));
            }

            // 4. The HTTP port, bound before the worker's consumer is made: with http.port 0 the
            //    advertised URL is known only once bound, and the consumer tells the group that URL.
            http = bindHttp(config.http());
            metrics = new EngineMetrics(partitions, topics.requestTopics());

            // 5. The worker lanes, their clients and their shards.
            String transactionalId = config.transactionalId().orElseGet(() -> TransactionalIds.derive(config));
            OwnedShards owned = new OwnedShards(partitions);
            PartitionOwners owners = new PartitionOwners();
            List<Worker> lanes = new ArrayList<>();
            for (int lane = 0; lane < config.workerThreads(); lane++) {
                lanes.add(lane(config, lane, TransactionalIds.forLane(transactionalId, lane), bootstrap, topics, owned,
                        owners, http.url(), economy, metrics));
            }
            log.info("{} worker lane(s), transactional.id {}", lanes.size(), transactionalId);
            // 5b. The HTTP writes' client, only when writes are enabled: it makes a reply topic.
            if (config.http().writeToken().isPresent()) {
                httpWrites = Optional.of(ClientRequestSubmitter.start(config, bootstrap, transactionalId));
                log.info("HTTP writes enabled; results come back on {}", httpWrites.get().replyTopic());
            }
            EconomyEngine engine = new EconomyEngine(dataDirLock, broker, bootstrap, lanes, owned, http, httpWrites,
                    metrics, config.shutdownTimeout());
            metrics.bindReadiness(() -> engine.readiness().ready());
            metrics.bindCacheHitRatio(() -> owned.partitions().stream()
                    .flatMap(partition -> owned.liveShard(partition).stream())
                    .mapToDouble(ShardStore::cacheHitRate).average().orElse(0));
            metrics.bindShardStates(owned::countByState);

            // 6. Answer queries, health checks and scrapes; then go.
            http.start(new WorkerShardDirectory(owned, owners), economy, () -> health(engine.readiness()),
                    metrics::scrape, httpWrites.map(RequestSubmitter.class::cast));
            engine.laneThreads.forEach(Thread::start);
            log.info("economy engine started: bootstrap servers {}, group {}, HTTP API at {}", bootstrap,
                    config.groupId(), http.url());
            return engine;
        } catch (RuntimeException e) {
            if (http != null) {
                closeQuietly("HTTP server", http::close);
            }
            if (metrics != null) {
                closeQuietly("metrics", metrics::close);
            }
            httpWrites.ifPresent(writes -> closeQuietly("HTTP writes' Kafka client", writes::close));
            broker.ifPresent(EmbeddedKafkaBroker::close);
            throw e;
        }
    }

    /** A port in use is refused in one line, like a busy embedded-broker port. */
    private static HttpEndpoint bindHttp(EconomyConfig.Http config) {
        try {
            return HttpEndpoint.bind(new HttpOptions(config.host(), config.port(), config.advertisedUrl(),
                    AccessTokens.of(config.writeToken().map(Secret::reveal), config.readToken().map(Secret::reveal))));
        } catch (UncheckedIOException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof BindException) {
                    throw new StartRefusedException(e.getMessage() + "; stop what listens there or set"
                            + " ECONOMY_HTTP_PORT to another port (0 picks a free one)");
                }
            }
            throw e;
        }
    }

    /**
     * One poll loop with its own consumer (a member of the group), transactional producer and shards.
     * Lanes share the process's HTTP API and metrics; Kafka gives each its partitions, as it does to
     * workers on other machines.
     */
    private static Worker lane(EconomyConfig config, int lane, String transactionalId, String bootstrap,
            Topics topics, OwnedShards owned, PartitionOwners owners, String httpUrl, Economy economy,
            EngineMetrics metrics) {
        StoreOptions storeOptions = new StoreOptions(Clock.systemUTC(), config.balanceCacheTtl(), economy);
        Path shardDir = shardDir(config);
        Map<String, Object> consumerProperties = new HashMap<>(
                ClientProperties.consumer(bootstrap, config.groupId(), config.consumerProperties()));
        // Read by the EndpointAwareAssignor: this worker's URL goes to the group, and every
        // assignment's map partition -> owner URL comes back into 'owners' for the query API.
        consumerProperties.put(EndpointAwareAssignor.ADVERTISED_URL_CONFIG, httpUrl);
        consumerProperties.put(EndpointAwareAssignor.PARTITION_OWNERS_CONFIG, owners);
        // Static membership: each lane is a member of its own, so each needs its own instance id (two
        // consumers with one id fence each other). Lane n appends -n, as for the transactional.id.
        Object instanceId = consumerProperties.get(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        if (instanceId != null) {
            consumerProperties.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG,
                    TransactionalIds.forLane(instanceId.toString(), lane));
        }
        Map<String, Object> producerProperties =
                ClientProperties.producer(bootstrap, transactionalId, config.producerProperties());
        Supplier<Producer<byte[], byte[]>> producers = () -> new KafkaProducer<>(producerProperties);
        return new Worker(
                metrics.bindConsumer(new KafkaConsumer<>(consumerProperties), topics.requestTopics()),
                metrics.bindConsumer(new KafkaConsumer<>(
                        ClientProperties.restoreConsumer(bootstrap, config.consumerProperties())), List.of()),
                Admin.create(ClientProperties.admin(bootstrap, config.adminProperties())),
                metrics.bindProducers(producers),
                topics,
                owned,
                new WorkerOptions(config.pollTimeout(), config.mergeMaxWait(), config.maxBatchRecords(),
                        String.valueOf(consumerProperties.get(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG)),
                        new CommitPolicy(config.commit().maxDelay(), config.commit().maxRecords()),
                        Duration.ofMillis(Long.parseLong(String.valueOf(
                                consumerProperties.get(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG)))),
                        config.replyTopicPattern()),
                partition -> ShardStore.open(shardDir.resolve("shard-" + partition + ".db"), partition, storeOptions),
                economy,
                metrics.worker());
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The port the HTTP API listens on (the chosen one when http.port is 0). */
    public int httpPort() {
        return http.port();
    }

    /** The base URL this worker advertises to the group for its HTTP API, without a trailing slash. */
    @Override
    public String httpUrl() {
        return http.url();
    }

    /** The partitions whose shards are open and restored here, over all lanes. */
    public Set<Integer> ownedPartitions() {
        return owned.partitions();
    }

    /**
     * Ready when the embedded broker (if any) is healthy and every lane is ready; otherwise the broker's
     * reason or the first lane's. The broker first: a lane cannot see that the broker under it is dying.
     */
    public Worker.Readiness readiness() {
        if (broker.isPresent()) {
            EmbeddedKafkaBroker.Health health = broker.get().health();
            if (!health.healthy()) {
                return new Worker.Readiness(false, health.reason());
            }
        }
        for (Worker lane : lanes) {
            Worker.Readiness readiness = lane.readiness();
            if (!readiness.ready()) {
                return readiness;
            }
        }
        return new Worker.Readiness(true, "processing partitions " + new TreeSet<>(owned.partitions()));
    }

    private static Health health(Worker.Readiness readiness) {
        return new Health(readiness.ready(), readiness.reason());
    }

    /** Each lane's readiness, lane 0 first. */
    public List<Worker.Readiness> laneReadiness() {
        return lanes.stream().map(Worker::readiness).toList();
    }

    /** Whether every lane's poll loop is still running. */
    public boolean isRunning() {
        return laneEnded.getCount() > 0;
    }

    /** Blocks until a lane's thread ends, by {@link #close()} or by a fatal error. */
    public void awaitWorkerExit() {
        try {
            laneEnded.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The embedded broker, for a test that stops it under the engine. */
    Optional<EmbeddedKafkaBroker> embeddedBroker() {
        return broker;
    }

    /**
     * Stops the worker (finishing the batch in hand), then closes the HTTP API, the metrics and the
     * embedded broker, and releases the data directory; returns once all of it is done or when
     * {@code shutdown.timeout.ms} has passed since the first call, whichever comes first, saying what was
     * still running then. What still runs goes on in the background. Safe to call more than once, from
     * any thread: each call waits for the same shutdown.
     */
    public ShutdownReport shutDown() {
        return shutdown.closeWithinDeadline();
    }

    /** {@link #shutDown()}, with a warning if the deadline passed. */
    @Override
    public void close() {
        ShutdownReport report = shutDown();
        if (!report.complete()) {
            log.warn("{}", report.message());
        }
    }

    private static void closeQuietly(String what, Runnable close) {
        try {
            close.run();
        } catch (RuntimeException e) {
            log.warn("closing the {}: {}", what, e.toString());
        }
    }

    static Path shardDir(EconomyConfig config) {
        return config.dataDir().resolve("ledger");
    }

    static Topics topics(EconomyConfig config) {
        EconomyConfig.TopicNames names = config.topics();
        return new Topics(names.earnRequests(), names.spendRequests(), names.results(), names.balanceChanged(),
                names.dlq(), names.changelog());
    }
}
