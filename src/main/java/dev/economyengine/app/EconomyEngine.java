package dev.economyengine.app;

import dev.economyengine.config.EconomyConfig;
import dev.economyengine.config.RulesLoader;
import dev.economyengine.ledger.EarningRules;
import dev.economyengine.messaging.ClientProperties;
import dev.economyengine.messaging.OwnedShards;
import dev.economyengine.messaging.TopicSetup;
import dev.economyengine.messaging.Topics;
import dev.economyengine.messaging.Worker;
import dev.economyengine.messaging.WorkerMetrics;
import dev.economyengine.messaging.WorkerOptions;
import dev.economyengine.store.ShardStore;
import dev.economyengine.store.StoreOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running worker with everything it needs, built from one configuration in numbered stages.
 * Closing it stops the worker (finishing the batch in hand), then the embedded broker if any.
 */
public final class EconomyEngine implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EconomyEngine.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Optional<EmbeddedKafkaBroker> broker;
    private final String bootstrapServers;
    private final Worker worker;
    private final Thread workerThread;

    private EconomyEngine(Optional<EmbeddedKafkaBroker> broker, String bootstrapServers, Worker worker) {
        this.broker = broker;
        this.bootstrapServers = bootstrapServers;
        this.worker = worker;
        this.workerThread = new Thread(worker, "economy-worker");
    }

    public static EconomyEngine start(EconomyConfig config) {
        // 1. Rules first: a bad rules file should stop start-up before anything is started.
        EarningRules rules = RulesLoader.load(config.rulesFile());

        // 2. The broker: the configured cluster, or an embedded one for a machine with no Kafka.
        Optional<EmbeddedKafkaBroker> broker = config.bootstrapServers().isPresent()
                ? Optional.empty()
                : Optional.of(EmbeddedKafkaBroker.start(config.dataDir().resolve("kafka"), config.embeddedKafkaPort()));
        String bootstrap = config.bootstrapServers().orElseGet(() -> broker.get().bootstrapServers());
        try {
            // 3. Topics: create what is missing, refuse mismatched request topics.
            Topics topics = topics(config);
            int partitions;
            try (Admin admin = Admin.create(ClientProperties.admin(bootstrap, config.adminProperties()))) {
                partitions = TopicSetup.ensure(admin, topics, config.topicPartitions());
                log.info("request topics have {} partitions; shards live in {}", partitions, shardDir(config));
            }

            // 4. The worker, its clients and its shards.
            StoreOptions storeOptions = new StoreOptions(Clock.systemUTC(), config.balanceCacheTtl());
            Path shardDir = shardDir(config);
            String transactionalId = config.transactionalId().orElseGet(() -> TransactionalIds.derive(config));
            log.info("transactional.id {}", transactionalId);
            OwnedShards owned = new OwnedShards(partitions);
            Map<String, Object> producerProperties =
                    ClientProperties.producer(bootstrap, transactionalId, config.producerProperties());
            Worker worker = new Worker(
                    new KafkaConsumer<>(ClientProperties.consumer(bootstrap, config.groupId(), config.consumerProperties())),
                    new KafkaConsumer<>(ClientProperties.restoreConsumer(bootstrap, config.consumerProperties())),
                    Admin.create(ClientProperties.admin(bootstrap, config.adminProperties())),
                    () -> new KafkaProducer<>(producerProperties),
                    topics,
                    owned,
                    new WorkerOptions(config.pollTimeout(), config.mergeMaxWait(), config.maxBatchRecords()),
                    partition -> ShardStore.open(shardDir.resolve("shard-" + partition + ".db"), partition, storeOptions),
                    rules,
                    WorkerMetrics.NONE);

            // 5. Go.
            EconomyEngine engine = new EconomyEngine(broker, bootstrap, worker);
            engine.workerThread.start();
            log.info("economy engine started: bootstrap servers {}, group {}", bootstrap, config.groupId());
            return engine;
        } catch (RuntimeException e) {
            broker.ifPresent(EmbeddedKafkaBroker::close);
            throw e;
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public Set<Integer> ownedPartitions() {
        return worker.ownedPartitions();
    }

    public Worker.Readiness readiness() {
        return worker.readiness();
    }

    public boolean isRunning() {
        return workerThread.isAlive();
    }

    /** Blocks until the worker thread ends, by {@link #close()} or by a fatal error. */
    public void awaitWorkerExit() {
        try {
            workerThread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        worker.stop();
        try {
            if (!worker.awaitStopped(STOP_TIMEOUT)) {
                log.warn("worker did not stop within {}", STOP_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            broker.ifPresent(EmbeddedKafkaBroker::close);
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
