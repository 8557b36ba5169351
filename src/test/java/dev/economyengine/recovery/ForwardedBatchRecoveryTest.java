package dev.economyengine.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.economyengine.messaging.ClientProperties;
import dev.economyengine.messaging.OwnedShards;
import dev.economyengine.messaging.Worker;
import dev.economyengine.messaging.WorkerMetrics;
import dev.economyengine.messaging.WorkerOptions;
import dev.economyengine.store.ShardStore;
import dev.economyengine.store.StoreOptions;
import dev.economyengine.testing.EconomyClient;
import dev.economyengine.testing.EconomyTestEnvironment;
import dev.economyengine.testing.LedgerAudit;
import dev.economyengine.testing.TestEconomy;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch that forwarded a misplaced request and then failed to commit is aborted, forwards and all;
 * its retry forwards the request again, and the request is applied once. The commit fails after the
 * forwarded copy is in the log (the producer is flushed first), as when a commit times out.
 */
class ForwardedBatchRecoveryTest {
    private static final int PARTITIONS = 2;
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path workDir;

    private final AtomicBoolean commitArmed = new AtomicBoolean();
    private final CountDownLatch commitFailed = new CountDownLatch(1);
    private final List<Producer<byte[], byte[]>> producers = new CopyOnWriteArrayList<>();
    private EconomyTestEnvironment environment;
    private Worker worker;
    private EconomyClient client;

    @BeforeEach
    void startWorker() {
        environment = new EconomyTestEnvironment(workDir, PARTITIONS);
        environment.createTopics(PARTITIONS);
        String bootstrap = environment.bootstrapServers();
        Map<String, Object> producerProperties = ClientProperties.producer(bootstrap, environment.groupId() + "-worker",
                Map.of("transaction.timeout.ms", "3000"));
        worker = new Worker(
                new KafkaConsumer<>(ClientProperties.consumer(bootstrap, environment.groupId(), Map.of())),
                new KafkaConsumer<>(ClientProperties.restoreConsumer(bootstrap, Map.of())),
                Admin.create(ClientProperties.admin(bootstrap, Map.of())),
                () -> {
                    Producer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties);
                    producers.add(producer);
                    return failingCommit(producer);
                },
                environment.topics(),
                new OwnedShards(PARTITIONS),
                new WorkerOptions(Duration.ofMillis(100), Duration.ofMillis(20), 5000),
                partition -> ShardStore.open(workDir.resolve("shard-" + partition + ".db"), partition,
                        StoreOptions.defaults()),
                TestEconomy.withoutLimits(),
                WorkerMetrics.NONE);
        new Thread(worker, "economy-worker").start();
        client = new EconomyClient(environment);
    }

    @AfterEach
    void stop() throws InterruptedException {
        worker.stop();
        assertThat(worker.awaitStopped(STOP_TIMEOUT)).isTrue();
        client.close();
        producers.forEach(producer -> producer.close(Duration.ZERO));
    }

    @Test
    void misplacedRequest_whoseBatchFailsToCommit_isForwardedAgainAndAppliedOnce() throws InterruptedException {
        int home = new OwnedShards(PARTITIONS).partitionOf("alice");
        commitArmed.set(true);
        client.sendToPartition(environment.topics().earnRequests(), 1 - home, "alice",
                "{\"requestId\":\"r1\",\"userId\":\"alice\",\"action\":\"daily_login\"}");
        assertThat(commitFailed.await(EconomyClient.TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();

        client.awaitResult("alice", "r1");
        client.earn("r2", "alice", "daily_login");
        List<JsonNode> results = client.awaitResults(2);

        assertThat(results).extracting(r -> r.get("requestId").asText()).containsExactly("r1", "r2");
        LedgerAudit.check(Map.of("alice/r1", 1, "alice/r2", 1), results, client.balanceChanges());
        assertThat(copies(home, "read_uncommitted")).as("the failed attempt's copy, and the retry's").hasSize(2);
        assertThat(copies(home, "read_committed")).as("only the retry's copy counts").hasSize(1);
    }

    /** The earn partition's records up to its end, as a consumer of the isolation level reads them. */
    private List<ConsumerRecord<byte[], byte[]>> copies(int partition, String isolation) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        TopicPartition earn = new TopicPartition(environment.topics().earnRequests(), partition);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, environment.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()))) {
            consumer.assign(List.of(earn));
            consumer.seekToBeginning(List.of(earn));
            long end = consumer.endOffsets(List.of(earn)).get(earn);
            await().atMost(EconomyClient.TIMEOUT).until(() -> {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
                return consumer.position(earn) >= end;
            });
        }
        return records.stream().filter(r -> r.headers().lastHeader("economy.forwarded-from") != null).toList();
    }

    /** The real producer, except that an armed commit flushes what was sent and then times out, once. */
    @SuppressWarnings("unchecked")
    private Producer<byte[], byte[]> failingCommit(Producer<byte[], byte[]> delegate) {
        return (Producer<byte[], byte[]>) Proxy.newProxyInstance(Producer.class.getClassLoader(),
                new Class<?>[] {Producer.class}, (proxy, method, args) -> {
                    if (method.getName().equals("commitTransaction") && commitArmed.compareAndSet(true, false)) {
                        delegate.flush();
                        commitFailed.countDown();
                        throw new TimeoutException("injected: commitTransaction timed out");
                    }
                    try {
                        return method.invoke(delegate, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
