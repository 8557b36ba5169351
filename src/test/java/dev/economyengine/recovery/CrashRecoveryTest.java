package dev.economyengine.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.economyengine.messaging.TopicSetup;
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
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worker as a separate JVM, killed with SIGKILL while requests flow, restarted on the same files. */
class CrashRecoveryTest {
    private static final int PARTITIONS = 3;
    /** 10 in CI; a soak run raises it: mvn test -Dtest=CrashRecoveryTest -Deconomy.crash.kills=200 */
    private static final int KILLS = Integer.getInteger("economy.crash.kills", 10);

    @TempDir
    Path workDir;

    private EconomyTestEnvironment environment;

    @BeforeEach
    void createTopics() {
        // Static membership: a restarted worker takes its partitions straight back, no session timeout.
        environment = new EconomyTestEnvironment(workDir, PARTITIONS)
                .with("ECONOMY_KAFKA_CONSUMER_GROUP_INSTANCE_ID", "crash-test-worker");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", environment.bootstrapServers()))) {
            TopicSetup.ensure(admin, environment.topics(), PARTITIONS);
        }
    }

    @Test
    void sigkillAtRandomMoments_losesNothing_appliesNothingTwice_andAnswersEachRequestOnce() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        System.out.println("crash test seed " + seed);
        try (EconomyClient client = new EconomyClient(environment)) {
            RequestLoad load = new RequestLoad(client, seed, 40);
            WorkerProcess worker = startWorker(List.of());
            load.send(100);
            for (int kill = 0; kill < KILLS; kill++) {
                int answered = client.results().size();
                load.send(50 + random.nextInt(150));
                // Kill once some, but not all, of the new requests are answered: mid-stream.
                client.awaitResults(answered + 1 + random.nextInt(40));
                worker.kill();
                load.send(random.nextInt(30));
                worker = startWorker(List.of());
            }
            load.send(100);
            client.awaitResults(load.totalSent());
            assertThat(worker.terminate()).as("exit code after SIGTERM (128 + 15)").isEqualTo(143);

            LedgerAudit.check(load.timesSent(), client.results(), client.balanceChanges());
            assertThat(LedgerAudit.verifyShards(environment.dataDir())).hasSize(PARTITIONS);
        }
    }

    @Test
    void deathBetweenKafkaCommitAndSqliteCommit_isRepairedFromTheChangelog() {
        try (EconomyClient client = new EconomyClient(environment)) {
            RequestLoad load = new RequestLoad(client, 42, 10);
            // The worker halts right after its 3rd Kafka commit, before the SQLite commit.
            WorkerProcess halting = startWorker(List.of("-Deconomy.test.halt-after-kafka-commit=3"));
            while (halting.isAlive()) {
                load.send(10);
                await().atMost(EconomyClient.TIMEOUT)
                        .until(() -> !halting.isAlive() || client.results().size() >= load.totalSent());
            }
            WorkerProcess worker;
            worker = startWorker(List.of());
            load.send(50);
            client.awaitResults(load.totalSent());
            assertThat(worker.terminate()).isEqualTo(143);

            LedgerAudit.check(load.timesSent(), client.results(), client.balanceChanges());
            List<VerificationReport> shards = LedgerAudit.verifyShards(environment.dataDir());
            long transactions = shards.stream().mapToLong(VerificationReport::transactions).sum();
            long accepted = client.results().stream()
                    .filter(r -> !r.get("duplicate").asBoolean() && r.get("status").asText().equals("ACCEPTED"))
                    .count();
            assertThat(transactions).as("every accepted request is in a shard, once").isEqualTo(accepted);
            assertThat(worker.log()).content().containsPattern("restored shards \\[.*\\]: [1-9][0-9]* changelog records");
        }
    }

    @AfterEach
    void keepWorkerLog(TestInfo test) throws IOException {
        Path log = workDir.resolve("worker.log");
        if (Files.exists(log)) {
            // The worker's own log, kept beside the surefire reports for whoever reads a failure.
            Path kept = Path.of("target", "worker-logs", test.getTestMethod().orElseThrow().getName() + ".log");
            Files.createDirectories(kept.getParent());
            Files.copy(log, kept, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private WorkerProcess startWorker(List<String> jvmOptions) {
        return WorkerProcess.start(environment.env(), workDir.resolve("worker.log"), jvmOptions);
    }
}
