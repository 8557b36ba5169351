package dev.economyengine.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.economyengine.messaging.ChangelogRestorer;
import dev.economyengine.messaging.ClientProperties;
import dev.economyengine.messaging.WorkerMetrics;
import dev.economyengine.store.ShardStore;
import dev.economyengine.store.ShardVerifier;
import dev.economyengine.store.StoreOptions;
import dev.economyengine.store.VerificationReport;
import dev.economyengine.testing.EconomyClient;
import dev.economyengine.testing.EconomyTestEnvironment;
import dev.economyengine.testing.LedgerAudit;
import dev.economyengine.testing.RequestLoad;
import dev.economyengine.testing.WorkerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * Worker processes frozen with SIGSTOP for longer than the session timeout while requests flow (a long
 * GC pause, a frozen VM), then resumed with SIGCONT, again and again, beside another worker of the group.
 * The group moves a frozen worker's partitions on without it; when it wakes, whatever it had in flight
 * must not land twice nor be missed by the new owner.
 */
class PauseTest {
    private static final int PARTITIONS = 4;
    private static final int PAUSES = Integer.getInteger("economy.pause.count", 3);

    @TempDir
    Path workDir;

    private EconomyTestEnvironment environment;
    private final List<WorkerProcess> workers = new ArrayList<>();

    @BeforeEach
    void createTopics() {
        environment = new EconomyTestEnvironment(workDir, PARTITIONS);
        environment.createTopics(PARTITIONS);
    }

    @Test
    void workersFrozenPastTheSessionTimeout_andWokenAgain_applyEveryRequestOnce_andLeaveShardsEqualToTheChangelog()
            throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        System.out.println("pause test seed " + seed);
        try (EconomyClient client = new EconomyClient(environment);
                Admin admin = Admin.create(Map.of("bootstrap.servers", environment.bootstrapServers()))) {
            RequestLoad load = new RequestLoad(client, seed, 40);
            workers.add(startWorker("a"));
            workers.add(startWorker("b"));
            await().atMost(EconomyClient.TIMEOUT).until(() -> members(admin) == 2);
            load.send(100);
            client.awaitResults(load.totalSent());

            for (int pause = 0; pause < PAUSES; pause++) {
                WorkerProcess frozen = workers.get(pause % 2);
                int answered = client.results().size();
                load.send(100 + random.nextInt(200));
                // Freeze mid-stream: some of the new requests answered, a batch most likely in flight.
                client.awaitResults(answered + 1 + random.nextInt(20));
                frozen.pause();
                // Past the session timeout, the group goes on with the other worker alone, under load.
                sendUntilMembers(admin, load, 1);
                load.send(50);
                client.awaitResults(load.totalSent());
                frozen.resume();
                sendUntilMembers(admin, load, 2);
            }
            load.send(100);
            client.awaitResults(load.totalSent());
            for (WorkerProcess worker : workers) {
                assertThat(worker.terminate()).as("exit code after SIGTERM (128 + 15)").isEqualTo(143);
            }

            LedgerAudit.check(load.timesSent(), client.results(), client.balanceChanges());
            assertThat(newestShards()).as("each partition's newest shard equals one rebuilt from the changelog")
                    .isEqualTo(rebuiltFromTheChangelog());
        }
    }

    /** Keeps the requests flowing until the group has this many members holding partitions. */
    private void sendUntilMembers(Admin admin, RequestLoad load, int members) {
        await().atMost(EconomyClient.TIMEOUT).pollInterval(Duration.ofMillis(250)).until(() -> {
            load.send(5);
            return members(admin) == members;
        });
    }

    /** Per partition, the state hash of the shard with the most transactions, over both workers. */
    private Map<Integer, String> newestShards() {
        Map<Integer, VerificationReport> newest = new HashMap<>();
        for (String worker : List.of("a", "b")) {
            for (VerificationReport report : LedgerAudit.verifyShards(dataDir(worker))) {
                newest.merge(report.shardId(), report,
                        (x, y) -> Comparator.comparingLong(VerificationReport::transactions).compare(x, y) >= 0 ? x : y);
            }
        }
        Map<Integer, String> hashes = new HashMap<>();
        newest.forEach((partition, report) -> hashes.put(partition, report.stateHash()));
        return hashes;
    }

    private Map<Integer, String> rebuiltFromTheChangelog() throws IOException {
        Path rebuilt = Files.createDirectories(workDir.resolve("rebuilt"));
        Map<Integer, String> hashes = new HashMap<>();
        for (int partition = 0; partition < PARTITIONS; partition++) {
            Path file = rebuilt.resolve("shard-" + partition + ".db");
            try (ShardStore shard = ShardStore.open(file, partition, StoreOptions.defaults());
                    ChangelogRestorer restorer = new ChangelogRestorer(
                            new KafkaConsumer<>(ClientProperties.restoreConsumer(environment.bootstrapServers(), Map.of())),
                            Admin.create(Map.of("bootstrap.servers", environment.bootstrapServers())),
                            environment.topics().changelog(), Duration.ofSeconds(30), Duration.ofSeconds(30),
                            WorkerMetrics.NONE, () -> false)) {
                restorer.restore(Map.of(partition, shard));
            }
            hashes.put(partition, ShardVerifier.verify(file).stateHash());
        }
        return hashes;
    }

    private int members(Admin admin) throws ExecutionException, InterruptedException {
        ConsumerGroupDescription group;
        try {
            group = admin.describeConsumerGroups(List.of(environment.groupId()))
                    .describedGroups().get(environment.groupId()).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return 0;
            }
            throw e;
        }
        // Only members holding an assignment count: a woken worker counts once it has partitions again.
        return (int) group.members().stream().map(MemberDescription::assignment)
                .filter(assignment -> !assignment.topicPartitions().isEmpty()).count();
    }

    private WorkerProcess startWorker(String name) {
        Map<String, String> env = new HashMap<>(environment.env());
        env.put("ECONOMY_DATA_DIR", dataDir(name).toString());
        return WorkerProcess.start(env, workDir.resolve("worker-" + name + ".log"));
    }

    private Path dataDir(String worker) {
        return workDir.resolve("data-" + worker);
    }

    @AfterEach
    void stopWorkersAndKeepLogs(TestInfo test) throws IOException {
        for (WorkerProcess worker : workers) {
            if (worker.isAlive()) {
                worker.resume();
                worker.close();
            }
        }
        Path kept = Files.createDirectories(Path.of("target", "worker-logs"));
        for (String name : List.of("a", "b")) {
            Path log = workDir.resolve("worker-" + name + ".log");
            if (Files.exists(log)) {
                Files.copy(log, kept.resolve(test.getTestMethod().orElseThrow().getName() + "-" + name + ".log"),
                        StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
