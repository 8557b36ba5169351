package dev.economyengine.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.economyengine.testing.EconomyTestEnvironment;
import dev.economyengine.testing.LedgerAudit;
import dev.economyengine.testing.WorkerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker as a separate JVM, killed with SIGKILL while the client's requests are in flight and
 * restarted: every future gets exactly one answer, its own, and the ledger applied every request once,
 * however many times the client had to send it.
 */
class EconomyClientCrashTest {
    private static final int PARTITIONS = 2;
    private static final int USERS = 40;
    private static final Duration WAIT = Duration.ofMinutes(3);

    @TempDir
    Path workDir;

    private EconomyTestEnvironment environment;

    @BeforeEach
    void createTopics() {
        // Static membership: the restarted worker takes its partitions straight back.
        environment = new EconomyTestEnvironment(workDir, PARTITIONS)
                .with("ECONOMY_KAFKA_CONSUMER_GROUP_INSTANCE_ID", "client-crash-test-worker");
        environment.createTopics(PARTITIONS);
    }

    @Test
    void workerKilledAndRestarted_midRequest_yieldsExactlyOneAnswerPerFuture_andAppliesEachRequestOnce()
            throws Exception {
        WorkerProcess worker = startWorker();
        List<Sent> sent = new ArrayList<>();
        AtomicInteger answered = new AtomicInteger();
        AtomicInteger answers = new AtomicInteger();
        try (EconomyClient client = EconomyClient.builder(environment.bootstrapServers())
                .clientId("crash-" + environment.groupId())
                .earnTopic(environment.topics().earnRequests())
                .spendTopic(environment.topics().spendRequests())
                .attemptTimeout(Duration.ofSeconds(2))
                .deadline(WAIT)
                .build()) {
            sent.add(send(client, 0, answers, answered));
            sent.get(0).answer().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            for (int i = 1; i < 2000; i++) {
                sent.add(send(client, i, answers, answered));
            }
            // Killed once some, but not all, of them are answered: with requests in flight.
            await().atMost(WAIT).pollInterval(Duration.ofMillis(5)).until(() -> answered.get() > 100);
            worker.kill();
            int answeredBeforeTheKill = answered.get();
            for (int i = 2000; i < 2100; i++) {
                sent.add(send(client, i, answers, answered));
            }
            worker = startWorker();

            CompletableFuture.allOf(sent.stream().map(Sent::answer).toArray(CompletableFuture[]::new))
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(answeredBeforeTheKill).as("answered when the worker was killed").isLessThan(2000);
            for (Sent request : sent) {
                Result result = request.answer().join();
                assertThat(result.requestId()).isEqualTo(request.requestId());
                assertThat(result.userId()).isEqualTo(request.userId());
            }
        }
        assertThat(answers.get()).as("answers, one per future").isEqualTo(sent.size());

        // Closed, so every copy the client sent is published: each got one committed result, one first.
        Map<String, Integer> timesSent = timesPublished();
        assertThat(timesSent).hasSize(sent.size());
        try (dev.economyengine.testing.EconomyClient topics = new dev.economyengine.testing.EconomyClient(environment)) {
            int copies = timesSent.values().stream().mapToInt(Integer::intValue).sum();
            LedgerAudit.check(timesSent, topics.awaitResults(copies), topics.balanceChanges());
        }
        assertThat(worker.terminate()).as("exit code after SIGTERM (128 + 15)").isEqualTo(143);
        assertThat(LedgerAudit.verifyShards(environment.dataDir())).hasSize(PARTITIONS);
    }

    /** Earns and spends by turns over a few users, so that some spends are short of coins. */
    private static Sent send(EconomyClient client, int i, AtomicInteger answers, AtomicInteger answered) {
        String userId = "player-" + (i % USERS);
        String requestId = "r-" + i;
        CompletableFuture<Result> answer = i % 3 == 2
                ? client.spend(new SpendRequest(requestId, userId, 15, null, "sku:crash", null))
                : client.earn(new EarnRequest(requestId, userId, "daily_login", null, null));
        answer.whenComplete((result, error) -> {
            answers.incrementAndGet();
            if (error == null) {
                answered.incrementAndGet();
            }
        });
        return new Sent(requestId, userId, answer);
    }

    /** For every request, how many records of it the request topics hold: the client's copies. */
    private Map<String, Integer> timesPublished() {
        Map<String, Integer> times = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, environment.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class))) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : environment.topics().requestTopics()) {
                consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            await().atMost(WAIT).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                    String requestId = record.value().replaceAll(".*\"requestId\":\"([^\"]+)\".*", "$1");
                    times.merge(record.key() + "/" + requestId, 1, Integer::sum);
                }
                return partitions.stream().allMatch(p -> consumer.position(p) >= ends.get(p));
            });
        }
        return times;
    }

    @AfterEach
    void keepWorkerLog(TestInfo test) throws IOException {
        Path log = workDir.resolve("worker.log");
        if (Files.exists(log)) {
            Path kept = Path.of("target", "worker-logs", test.getTestMethod().orElseThrow().getName() + ".log");
            Files.createDirectories(kept.getParent());
            Files.copy(log, kept, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private WorkerProcess startWorker() {
        return WorkerProcess.start(environment.env(), workDir.resolve("worker.log"));
    }

    private record Sent(String requestId, String userId, CompletableFuture<Result> answer) {}
}
