package dev.economyengine.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.economyengine.app.EconomyEngine;
import dev.economyengine.ledger.UserBalance;
import dev.economyengine.messaging.ChangelogRestorer;
import dev.economyengine.messaging.ClientProperties;
import dev.economyengine.messaging.WorkerMetrics;
import dev.economyengine.store.ShardStore;
import dev.economyengine.store.ShardVerifier;
import dev.economyengine.store.StoreOptions;
import dev.economyengine.store.VerificationReport;
import dev.economyengine.testing.Directories;
import dev.economyengine.testing.EconomyClient;
import dev.economyengine.testing.EconomyTestEnvironment;
import dev.economyengine.testing.LedgerAudit;
import dev.economyengine.testing.RequestLoad;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A shard file is only this worker's copy of its changelog partition: lost whole, lost alone, or put
 * back from an old backup, it is rebuilt from the changelog to exactly the state it had, before the
 * worker owns the partition again.
 */
class RestoreTest {
    private static final int PARTITIONS = 3;
    private static final int USERS = 40;
    private static final Set<Integer> ALL_PARTITIONS =
            IntStream.range(0, PARTITIONS).boxed().collect(Collectors.toUnmodifiableSet());

    @TempDir
    Path workDir;

    private EconomyTestEnvironment environment;
    private EconomyClient client;
    private EconomyEngine engine;

    @BeforeEach
    void createTopics() {
        environment = new EconomyTestEnvironment(workDir, PARTITIONS);
        environment.createTopics(PARTITIONS);
        client = new EconomyClient(environment);
    }

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
        client.close();
    }

    @Test
    void deletedLedgerDirectory_isRebuiltFromTheChangelog_toTheSameStateHashes() throws IOException {
        RequestLoad load = new RequestLoad(client, 11, USERS);
        engine = environment.startEngine();
        load.send(300);
        client.awaitResults(load.totalSent());
        stopEngine();
        Map<Integer, String> before = stateHashes();
        assertThat(before).as("one shard per partition").containsOnlyKeys(ALL_PARTITIONS);

        Directories.deleteRecursively(ledgerDir());
        assertThat(ledgerDir()).doesNotExist();
        startEngineAndAwaitAllPartitionsThenStop();

        assertThat(stateHashes()).as("every shard rebuilt to the state it had").isEqualTo(before);
        assertShardsHoldTheReplayedBalances(client.results());
        LedgerAudit.check(load.timesSent(), client.results(), client.balanceChanges());
    }

    @Test
    void oneDeletedShardFile_isRebuiltAlone_andTheOthersAreUntouched() throws IOException {
        sendThenStop(12, 300);
        Map<Integer, String> before = stateHashes();
        int lost = busiestShard();

        deleteShardFiles(lost);
        assertThat(Files.exists(shardFile(lost))).isFalse();
        startEngineAndAwaitAllPartitionsThenStop();

        assertThat(stateHashes()).as("shard " + lost + " rebuilt, the others as they were").isEqualTo(before);
        assertShardsHoldTheReplayedBalances(client.results());
    }

    @Test
    void shardPutBackFromAnOlderCopy_catchesUpFromTheChangelog_toTheSameStateHash() throws IOException {
        RequestLoad load = new RequestLoad(client, 13, USERS);
        engine = environment.startEngine();
        load.send(150);
        client.awaitResults(load.totalSent());
        // An online backup while the worker runs: VACUUM INTO copies one committed state of the shard.
        int behind = busiestShard();
        Path oldCopy = workDir.resolve("shard-" + behind + ".behind.db");
        backUp(shardFile(behind), oldCopy);
        load.send(150);
        client.awaitResults(load.totalSent());
        stopEngine();
        Map<Integer, String> before = stateHashes();
        VerificationReport old = ShardVerifier.verify(oldCopy);
        assertThat(old.ok()).as("the old copy is sound: " + old.violations()).isTrue();
        assertThat(old.transactions()).as("the old copy is really behind")
                .isLessThan(ShardVerifier.verify(shardFile(behind)).transactions());

        deleteShardFiles(behind);
        Files.move(oldCopy, shardFile(behind));
        startEngineAndAwaitAllPartitionsThenStop();

        assertThat(stateHashes()).as("shard " + behind + " caught up to the state it had").isEqualTo(before);
        assertShardsHoldTheReplayedBalances(client.results());
    }

    private void startEngineAndAwaitAllPartitionsThenStop() {
        engine = environment.startEngine();
        // ownedPartitions() lists a shard only once it is open and restored.
        await().atMost(EconomyClient.TIMEOUT).until(() -> engine.ownedPartitions().equals(ALL_PARTITIONS));
        assertThat(engine.isRunning()).isTrue();
        stopEngine();
    }

    @Test
    void aTransactionLeftOpenOnTheChangelog_holdsTheRestoreBack_andTheFailureNamesItsProducerAndHowToAbortIt()
            throws Exception {
        String changelog = environment.topics().changelog();
        try (KafkaProducer<byte[], byte[]> holder = new KafkaProducer<>(Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, environment.bootstrapServers(),
                        ProducerConfig.TRANSACTIONAL_ID_CONFIG, environment.groupId() + "-holder",
                        ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 60_000,
                        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
                Admin admin = Admin.create(Map.of("bootstrap.servers", environment.bootstrapServers()));
                KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                        ClientProperties.restoreConsumer(environment.bootstrapServers(), Map.of()))) {
            holder.initTransactions();
            holder.beginTransaction();
            long openedAt = holder.send(new ProducerRecord<>(changelog, 1, new byte[0], new byte[0])).get().offset();
            ChangelogRestorer restorer = new ChangelogRestorer(consumer, admin, changelog, Duration.ofSeconds(30),
                    Duration.ofSeconds(2), WorkerMetrics.NONE, () -> false);

            assertThatThrownBy(() -> restorer.stableEnds(Set.of(0, 1)))
                    .isInstanceOf(TimeoutException.class)
                    .hasMessageContaining("still have an open transaction")
                    .hasMessageContaining("partition 1: producer id ")
                    .hasMessageContaining("kafka-transactions.sh --bootstrap-server <brokers> abort --topic "
                            + changelog + " --partition 1 --start-offset " + openedAt)
                    .hasMessageNotContaining("partition 0:");

            holder.abortTransaction();
            assertThat(restorer.stableEnds(Set.of(0, 1))).as("once decided, the partition can be restored")
                    .containsEntry(0, 0L)
                    .hasEntrySatisfying(1, end -> assertThat(end).isGreaterThan(openedAt));
        }
    }

    /**
     * A worker held back by a transaction nobody decides (README, Operations) must still stop when told
     * to, as a supervisor expects within its grace period, rather than wait out the transaction. Here
     * the transaction lasts a minute, longer than the engine waits for its worker to stop.
     */
    @Test
    void aWorkerHeldBackByAnOpenTransaction_stopsWhenAsked() {
        try (KafkaProducer<byte[], byte[]> holder = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, environment.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, environment.groupId() + "-holder",
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 60_000,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            holder.initTransactions();
            holder.beginTransaction();
            holder.send(new ProducerRecord<>(environment.topics().changelog(), 1, new byte[0], new byte[0]));
            holder.flush();
            engine = environment.startEngine();
            await().atMost(EconomyClient.TIMEOUT)
                    .until(() -> engine.readiness().reason().contains("1 AWAITING_STABLE_CHANGELOG"));

            engine.close();

            assertThat(engine.isRunning()).as("the worker stopped, though the transaction is still open").isFalse();
            engine = null;
            holder.abortTransaction();
        }
    }

    /**
     * A restore already copying must stop when asked too: a long one would outlast a supervisor's grace
     * period. What it wrote stands, and the next restore goes on from there to the same state. Fetches
     * of 10 records make the copy take many polls; the owner asks to stop once the first has returned.
     */
    @Test
    void aRestoreAlreadyCopying_stopsWhenAsked_andTheNextRestoreGoesOnFromWhereItStopped() throws IOException {
        sendThenStop(14, 300);
        Map<Integer, String> before = stateHashes();
        int lost = busiestShard();
        deleteShardFiles(lost);
        TopicPartition changelog = new TopicPartition(environment.topics().changelog(), lost);

        long offsetAtStop;
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                ClientProperties.restoreConsumer(environment.bootstrapServers(), Map.of("max.poll.records", "10")));
        try (ShardStore shard = ShardStore.open(shardFile(lost), lost, StoreOptions.defaults());
                ChangelogRestorer stopping = restorer(consumer, () -> consumer.position(changelog) > 0)) {
            long end = stopping.stableEnds(Set.of(lost)).get(lost);

            assertThatThrownBy(() -> stopping.restore(Map.of(lost, shard)))
                    .isInstanceOf(ChangelogRestorer.Stopped.class)
                    .hasMessageContaining("stopping while restoring shards");

            offsetAtStop = shard.changelogOffset();
            assertThat(offsetAtStop).as("what was read before the stop is written, and no more")
                    .isPositive().isLessThan(end);
        }
        assertThat(ShardVerifier.verify(shardFile(lost)).ok()).as("what the stopped restore wrote is sound").isTrue();

        try (ShardStore shard = ShardStore.open(shardFile(lost), lost, StoreOptions.defaults());
                ChangelogRestorer resuming = restorer(new KafkaConsumer<>(
                        ClientProperties.restoreConsumer(environment.bootstrapServers(), Map.of())), () -> false)) {
            assertThat(resuming.restore(Map.of(lost, shard)).get(lost)).as("went on from where it stopped")
                    .isPositive().isLessThan(resuming.stableEnds(Set.of(lost)).get(lost));
        }
        assertThat(stateHashes()).as("shard " + lost + " restored to the state it had").isEqualTo(before);
    }

    private ChangelogRestorer restorer(KafkaConsumer<byte[], byte[]> consumer, BooleanSupplier stopRequested) {
        return new ChangelogRestorer(consumer, Admin.create(Map.of("bootstrap.servers", environment.bootstrapServers())),
                environment.topics().changelog(), Duration.ofSeconds(30), Duration.ofSeconds(30), WorkerMetrics.NONE,
                stopRequested);
    }

    /** Runs the engine through {@code requests} requests of a load seeded {@code seed}, then stops it. */
    private void sendThenStop(long seed, int requests) {
        RequestLoad load = new RequestLoad(client, seed, USERS);
        engine = environment.startEngine();
        load.send(requests);
        client.awaitResults(load.totalSent());
        stopEngine();
    }

    private void stopEngine() {
        engine.close();
        engine = null;
    }

    private Path ledgerDir() {
        return environment.dataDir().resolve("ledger");
    }

    private Path shardFile(int partition) {
        return ledgerDir().resolve("shard-" + partition + ".db");
    }

    /** The state hash of every shard file, by partition; each shard must also pass the verifier. */
    private Map<Integer, String> stateHashes() {
        Map<Integer, String> hashes = new TreeMap<>();
        for (VerificationReport report : LedgerAudit.verifyShards(ledgerDir())) {
            hashes.put(report.shardId(), report.stateHash());
        }
        return hashes;
    }

    /** The shard with the most transactions, so that losing it loses as much as possible. */
    private int busiestShard() {
        return LedgerAudit.verifyShards(ledgerDir()).stream()
                .max(Comparator.comparingLong(VerificationReport::transactions))
                .orElseThrow()
                .shardId();
    }

    /** Balances read through the store's own API equal a replay of the published results; one shard per user. */
    private void assertShardsHoldTheReplayedBalances(List<JsonNode> results) {
        Set<String> users = results.stream().map(r -> r.get("userId").asText()).collect(Collectors.toSet());
        Map<String, Long> balances = new HashMap<>();
        Map<String, Integer> shardsHoldingUser = new HashMap<>();
        for (int partition : ALL_PARTITIONS) {
            try (ShardStore shard = ShardStore.open(shardFile(partition), partition, StoreOptions.defaults())) {
                for (String user : users) {
                    UserBalance balance = shard.balance(user);
                    if (balance.version() > 0) {
                        shardsHoldingUser.merge(user, 1, Integer::sum);
                        if (balance.balance() != 0) {
                            balances.put(user, balance.balance());
                        }
                    }
                }
            }
        }
        assertThat(shardsHoldingUser.values()).as("each user lives in one shard").allMatch(count -> count == 1);
        assertThat(balances).as("shard balances equal a replay of the accepted requests")
                .isEqualTo(LedgerAudit.replayedBalances(results));
    }

    private void deleteShardFiles(int partition) throws IOException {
        for (String suffix : List.of("", "-wal", "-shm")) {
            Files.deleteIfExists(ledgerDir().resolve("shard-" + partition + ".db" + suffix));
        }
    }

    private static void backUp(Path shard, Path copy) {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + shard.toAbsolutePath());
                Statement statement = connection.createStatement()) {
            statement.execute("VACUUM INTO '" + copy.toAbsolutePath() + "'");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot back up " + shard, e);
        }
    }
}
