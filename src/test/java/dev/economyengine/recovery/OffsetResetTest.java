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
import dev.economyengine.testing.FaultInjection;
import dev.economyengine.testing.TestEconomy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A group with no committed offsets starts where {@code auto.offset.reset} says, and a rewind after a
 * failed batch goes back to where the partition started, not to the beginning of the topic.
 */
class OffsetResetTest {
    @TempDir
    Path workDir;

    private final FaultInjection faults = new FaultInjection();
    private Worker worker;
    private EconomyClient client;

    @AfterEach
    void stop() throws InterruptedException {
        if (worker != null) {
            worker.stop();
            assertThat(worker.awaitStopped(Duration.ofSeconds(30))).isTrue();
        }
        if (client != null) {
            client.close();
        }
    }

    @Test
    void latest_skipsWhatWasWaitingBeforeTheGroupStarted_evenWhenTheFirstBatchFailsAndIsRewound() {
        EconomyTestEnvironment environment = new EconomyTestEnvironment(workDir, 1);
        environment.createTopics(1);
        client = new EconomyClient(environment);
        client.earn("before-start", "alice", "daily_login");
        OwnedShards owned = new OwnedShards(1);
        worker = startWorker(environment, owned, "latest");
        await().atMost(EconomyClient.TIMEOUT).until(() -> worker.readiness().ready());

        // The first batch fails before any offset of the group is committed: the rewind has none to go to.
        faults.arm("commitTransaction");
        client.earn("r1", "alice", "game_completion");
        await().atMost(EconomyClient.TIMEOUT).until(faults::allFired);
        client.spend("r2", "alice", 10);
        client.awaitResult("alice", "r2");

        assertThat(client.results()).extracting(r -> r.get("requestId").asText())
                .as("r1 applied once after the rewind, what came before the start never")
                .containsExactly("r1", "r2");
        JsonNode r2 = client.results().get(1);
        assertThat(r2.get("balance").asLong()).isEqualTo(40);
    }

    private Worker startWorker(EconomyTestEnvironment environment, OwnedShards owned, String autoOffsetReset) {
        String bootstrap = environment.bootstrapServers();
        Map<String, Object> producerProperties = ClientProperties.producer(bootstrap, environment.groupId() + "-worker",
                Map.of("transaction.timeout.ms", "3000"));
        Consumer<byte[], byte[]> consumer = new KafkaConsumer<>(ClientProperties.consumer(bootstrap,
                environment.groupId(), Map.of("auto.offset.reset", autoOffsetReset)));
        Worker started = new Worker(
                consumer,
                new KafkaConsumer<>(ClientProperties.restoreConsumer(bootstrap, Map.of())),
                Admin.create(ClientProperties.admin(bootstrap, Map.of())),
                () -> faultyProducer(new KafkaProducer<>(producerProperties)),
                environment.topics(),
                owned,
                new WorkerOptions(Duration.ofMillis(100), Duration.ofMillis(20), 5000, autoOffsetReset),
                partition -> ShardStore.open(workDir.resolve("shard-" + partition + ".db"), partition,
                        StoreOptions.defaults()),
                TestEconomy.withoutLimits(),
                WorkerMetrics.NONE);
        new Thread(started, "economy-worker").start();
        return started;
    }

    @SuppressWarnings("unchecked")
    private Producer<byte[], byte[]> faultyProducer(Producer<byte[], byte[]> delegate) {
        return faults.wrap(Producer.class, delegate);
    }
}
