package dev.economyengine.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.economyengine.client.ReplyHeaders;
import dev.economyengine.messaging.ClientProperties;
import dev.economyengine.messaging.OwnedShards;
import dev.economyengine.messaging.Worker;
import dev.economyengine.messaging.WorkerMetrics;
import dev.economyengine.messaging.WorkerOptions;
import dev.economyengine.store.ShardStore;
import dev.economyengine.store.ShardVerifier;
import dev.economyengine.store.StoreOptions;
import dev.economyengine.testing.EconomyClient;
import dev.economyengine.testing.EconomyTestEnvironment;
import dev.economyengine.testing.FaultInjection;
import dev.economyengine.testing.Json;
import dev.economyengine.testing.LedgerAudit;
import dev.economyengine.testing.TestEconomy;
import dev.economyengine.testing.TopicRecords;
import java.nio.charset.StandardCharsets;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch whose Kafka commit fails is rolled back and applied again from the committed offsets, and
 * the worker carries on whatever else fails on the way back. The worker runs on the real broker with
 * real clients and a real shard; only named client calls are made to fail, once each, with the timeout
 * a briefly unreachable broker causes. An injected commit failure never reaches the broker, so the
 * transaction is really still open, as after a real timeout.
 */
class FailedBatchRecoveryTest {
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path workDir;

    private final FaultInjection faults = new FaultInjection();
    private final List<Producer<byte[], byte[]>> producers = new CopyOnWriteArrayList<>();
    private final List<ShardStore> shardsOpened = new CopyOnWriteArrayList<>();
    private EconomyTestEnvironment environment;
    private Worker worker;
    private Thread workerThread;
    private EconomyClient client;
    /** Set: the records of a transaction reach the broker before its commit is called (and fails). */
    private volatile boolean flushBeforeCommit;

    @BeforeEach
    void startWorker() {
        environment = new EconomyTestEnvironment(workDir, 1);
        environment.createTopics(1);
        startWorker(Duration.ofMillis(20));
        client = new EconomyClient(environment);
        client.earn("r1", "alice", "daily_login");
        client.awaitResult("alice", "r1");
    }

    private void startWorker(Duration mergeMaxWait) {
        String bootstrap = environment.bootstrapServers();
        // A short transaction timeout: a transaction left open by a closed producer is aborted by the broker soon.
        Map<String, Object> producerProperties = ClientProperties.producer(bootstrap, environment.groupId() + "-worker",
                Map.of("transaction.timeout.ms", "3000"));
        worker = new Worker(
                failingConsumer(new KafkaConsumer<>(ClientProperties.consumer(bootstrap, environment.groupId(), Map.of()))),
                new KafkaConsumer<>(ClientProperties.restoreConsumer(bootstrap, Map.of())),
                Admin.create(ClientProperties.admin(bootstrap, Map.of())),
                () -> {
                    Producer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties);
                    producers.add(producer);
                    return flushingBeforeCommit(failingProducer(producer));
                },
                environment.topics(),
                new OwnedShards(1),
                new WorkerOptions(Duration.ofMillis(100), mergeMaxWait, 5000),
                partition -> {
                    ShardStore shard = ShardStore.open(shardFile(partition), partition, StoreOptions.defaults());
                    shardsOpened.add(shard);
                    return shard;
                },
                TestEconomy.withoutLimits(),
                WorkerMetrics.NONE);
        workerThread = new Thread(worker, "economy-worker");
        workerThread.start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        worker.stop();
        assertThat(worker.awaitStopped(STOP_TIMEOUT)).isTrue();
        client.close();
        // A producer the worker failed to start is not closed by it.
        producers.forEach(producer -> producer.close(Duration.ZERO));
    }

    @Test
    void batchWhoseCommitFails_whileTheCommittedOffsetsCannotBeRead_isAppliedLaterNotSkipped() {
        // r2's batch fails, and so does the rewind to the committed offsets that follows it.
        failR2ThenSendR3("commitTransaction", "committed");

        assertEveryRequestAnsweredOnceInOrder();
    }

    @Test
    void batchWhoseAbortFails_whileTheReplacementProducerCannotStartYet_workerKeepsRunning() {
        // The commit fails, the abort fails, the producer is closed and its replacement fails to start.
        failR2ThenSendR3("commitTransaction", "abortTransaction", "initTransactions");

        assertEveryRequestAnsweredOnceInOrder();
    }

    @Test
    void replyInABatchWhoseCommitFails_isNeverSeenReadCommitted_andTheRetriedBatchAnswersOnce() {
        String replies = "economy.replies." + environment.groupId();
        TopicRecords.create(environment.bootstrapServers(), replies, 1);
        // So that the failed attempt's reply is certainly on the topic, in a transaction then aborted.
        flushBeforeCommit = true;
        faults.arm("commitTransaction");
        RecordHeaders asking = new RecordHeaders();
        asking.add(ReplyHeaders.REPLY_TOPIC, replies.getBytes(StandardCharsets.UTF_8));
        client.send(new ProducerRecord<>(environment.topics().earnRequests(), null,
                "alice".getBytes(StandardCharsets.UTF_8),
                "{\"requestId\":\"r2\",\"userId\":\"alice\",\"action\":\"daily_login\"}"
                        .getBytes(StandardCharsets.UTF_8), asking));
        await().atMost(EconomyClient.TIMEOUT).until(faults::allFired);
        client.earn("r3", "alice", "game_completion");
        awaitAnswered("r3");

        assertEveryRequestAnsweredOnceInOrder();
        // Both attempts sent their reply; the failed one's transaction was aborted.
        assertThat(TopicRecords.readAll(environment.bootstrapServers(), replies, "read_uncommitted")).hasSize(2);
        assertThat(TopicRecords.readAll(environment.bootstrapServers(), replies, "read_committed"))
                .extracting(reply -> Json.parse(reply.value()).get("requestId").asText())
                .containsExactly("r2");
    }

    @Test
    void batchWhoseOffsetsCannotBeSent_isRolledBackAndAppliedOnceLater() {
        // Sent on a helper thread while the batch is applied: its failure must still fail the batch.
        failR2ThenSendR3("sendOffsetsToTransaction");

        assertEveryRequestAnsweredOnceInOrder();
    }

    @Test
    void batchThatSqliteFailsToWrite_afterKafkaCommittedIt_isRestoredFromTheChangelog_andNothingPolledIsLost()
            throws Exception {
        // Records wait up to a second for the other request topic, so that one may be waiting in the
        // partition's merger when the shard fails: it is dropped then, and read again from the committed offsets.
        worker.stop();
        assertThat(worker.awaitStopped(STOP_TIMEOUT)).isTrue();
        shardsOpened.clear();
        startWorker(Duration.ofSeconds(1));
        // A real SQLite failure: the shard's file refuses new transactions while the fault table has a row.
        sql("CREATE TABLE fault (armed INTEGER)", "INSERT INTO fault VALUES (1)",
                "CREATE TRIGGER broken_disk BEFORE INSERT ON transactions WHEN EXISTS (SELECT 1 FROM fault)"
                        + " BEGIN SELECT RAISE(ABORT, 'disk trouble'); END");
        client.earn("r2", "alice", "daily_login");
        awaitAnswered("r2");
        await().atMost(EconomyClient.TIMEOUT).until(() -> shardsOpened.get(0).writeFailed());
        sql("DELETE FROM fault");

        // Sent while the shard may still be going round its lifecycle: both are applied once it is live again.
        client.earn("r3", "alice", "game_completion");
        client.spend("r4", "alice", 5);
        awaitAnswered("r4");

        List<JsonNode> results = client.results();
        assertThat(results).extracting(r -> r.get("requestId").asText()).containsExactly("r1", "r2", "r3", "r4");
        LedgerAudit.check(Map.of("alice/r1", 1, "alice/r2", 1, "alice/r3", 1, "alice/r4", 1), results,
                client.balanceChanges());
        // Reopened at once, and again after each restore the armed fault refused.
        assertThat(shardsOpened).as("the failed shard was reopened").hasSizeGreaterThanOrEqualTo(2);
        long expected = results.get(3).get("balance").asLong();
        ShardStore reopened = shardsOpened.get(shardsOpened.size() - 1);
        assertThat(reopened.balance("alice").balance()).as("r2 restored from the changelog, then r3 and r4 written")
                .isEqualTo(expected);
        assertThat(reopened.result("alice", "r2")).isPresent();
        assertThat(ShardVerifier.verify(shardFile(0)).violations()).isEmpty();
    }

    private Path shardFile(int partition) {
        return workDir.resolve("shard-" + partition + ".db");
    }

    private void sql(String... statements) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + shardFile(0));
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    /** Arms the client calls to fail once each, sends r2 and waits until each has failed, then sends r3 and awaits its result. */
    private void failR2ThenSendR3(String... methods) {
        faults.arm(methods);
        client.earn("r2", "alice", "daily_login");
        await().atMost(EconomyClient.TIMEOUT).until(faults::allFired);

        client.earn("r3", "alice", "game_completion");
        awaitAnswered("r3");
    }

    private void awaitAnswered(String requestId) {
        await().atMost(EconomyClient.TIMEOUT).until(() -> {
            assertThat(workerThread.isAlive()).as("the worker is running (its log is the test's output)").isTrue();
            return client.results().stream().anyMatch(r -> r.get("requestId").asText().equals(requestId));
        });
    }

    /** Same user, same partition: r2 must be answered, and before r3. */
    private void assertEveryRequestAnsweredOnceInOrder() {
        List<JsonNode> results = client.results();
        assertThat(results).extracting(r -> r.get("requestId").asText())
                .as("r2, whose batch failed, is answered once, before r3")
                .containsExactly("r1", "r2", "r3");
        LedgerAudit.check(Map.of("alice/r1", 1, "alice/r2", 1, "alice/r3", 1), results, client.balanceChanges());
    }

    @SuppressWarnings("unchecked")
    private Consumer<byte[], byte[]> failingConsumer(Consumer<byte[], byte[]> delegate) {
        return faults.wrap(Consumer.class, delegate);
    }

    @SuppressWarnings("unchecked")
    private Producer<byte[], byte[]> flushingBeforeCommit(Producer<byte[], byte[]> delegate) {
        return (Producer<byte[], byte[]>) Proxy.newProxyInstance(Producer.class.getClassLoader(),
                new Class<?>[] {Producer.class}, (proxy, method, args) -> {
                    if (flushBeforeCommit && method.getName().equals("commitTransaction")) {
                        delegate.flush();
                    }
                    try {
                        return method.invoke(delegate, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @SuppressWarnings("unchecked")
    private Producer<byte[], byte[]> failingProducer(Producer<byte[], byte[]> delegate) {
        return faults.wrap(Producer.class, delegate);
    }
}
