package dev.economyengine.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.economyengine.testing.EconomyClient;
import dev.economyengine.testing.EconomyTestEnvironment;
import dev.economyengine.testing.LedgerAudit;
import dev.economyengine.testing.RequestLoad;
import dev.economyengine.testing.WorkerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.common.utils.Utils;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker killed in the middle of a burst: the survivor takes its partitions over and answers a
 * request for one of its users. The time it takes is printed, not asserted as a speed; the bound
 * asserted is the one users are promised by the configuration (10 s session timeout, a dead worker's
 * transaction aborted 10 s after it began), with room for a slow machine.
 */
class FailoverTest {
    private static final int PARTITIONS = 4;
    private static final Pattern SHARDS_OPEN = Pattern.compile("shards assigned: \\[([0-9, ]*)\\]");
    private static final Duration PROMISED = Duration.ofSeconds(15);

    @TempDir
    Path workDir;

    private final List<WorkerProcess> workers = new java.util.ArrayList<>();

    @AfterEach
    void stopWorkers() throws IOException {
        workers.forEach(WorkerProcess::close);
        for (String name : List.of("a", "b")) {
            Path log = log(name);
            if (Files.exists(log)) {
                Path kept = Path.of("target", "worker-logs", "failover-" + name + ".log");
                Files.createDirectories(kept.getParent());
                Files.copy(log, kept, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    @Test
    void workerKilledMidBurst_itsPartitionsAnswerAgainOnTheSurvivor() {
        // The product's own session timeouts, not the shorter ones other tests use.
        EconomyTestEnvironment environment = new EconomyTestEnvironment(workDir, PARTITIONS)
                .with("ECONOMY_KAFKA_CONSUMER_SESSION_TIMEOUT_MS", "10000")
                .with("ECONOMY_KAFKA_CONSUMER_HEARTBEAT_INTERVAL_MS", "3000");
        environment.createTopics(PARTITIONS);
        try (EconomyClient client = new EconomyClient(environment)) {
            RequestLoad load = new RequestLoad(client, 7, 50);
            WorkerProcess a = start(environment, "a");
            load.send(50);
            client.awaitResults(load.totalSent());
            WorkerProcess b = start(environment, "b");
            await().atMost(EconomyClient.TIMEOUT).pollInterval(Duration.ofMillis(200))
                    .until(() -> !latestShards("b").isEmpty() && !latestShards("a").containsAll(allPartitions()));
            int partitionOfB = latestShards("b").iterator().next();
            String userOfB = userIn(partitionOfB);

            load.send(300);
            b.kill();
            long killed = System.nanoTime();
            client.earn("after-failover", userOfB, "daily_login");
            try {
                client.awaitResult(userOfB, "after-failover");
            } catch (ConditionTimeoutException e) {
                // Kept in target/worker-logs: what the survivor was doing instead.
                a.dumpThreads();
                throw e;
            }
            Duration takeover = Duration.ofNanos(System.nanoTime() - killed);
            System.out.printf("failover: partition %d answered again %d ms after its worker was killed%n",
                    partitionOfB, takeover.toMillis());

            assertThat(a.isAlive()).isTrue();
            assertThat(takeover).as("processing resumes on the survivor").isLessThan(PROMISED.plusSeconds(15));
            client.awaitResults(load.totalSent() + 1);
            LedgerAudit.check(withFailoverRequest(load.timesSent(), userOfB), client.results(), client.balanceChanges());
        }
    }

    private static Map<String, Integer> withFailoverRequest(Map<String, Integer> sent, String user) {
        Map<String, Integer> all = new HashMap<>(sent);
        all.put(user + "/after-failover", 1);
        return all;
    }

    private WorkerProcess start(EconomyTestEnvironment environment, String name) {
        Map<String, String> env = new HashMap<>(environment.env());
        env.put("ECONOMY_DATA_DIR", workDir.resolve("data-" + name).toString());
        WorkerProcess worker = WorkerProcess.start(env, log(name));
        workers.add(worker);
        return worker;
    }

    /** The shards the worker's log last said it had open. */
    private Set<Integer> latestShards(String name) {
        try {
            if (!Files.exists(log(name))) {
                return Set.of();
            }
            Matcher matcher = SHARDS_OPEN.matcher(Files.readString(log(name)));
            String last = null;
            while (matcher.find()) {
                last = matcher.group(1);
            }
            return last == null ? Set.of() : Stream.of(last.split(",")).map(String::trim)
                    .filter(s -> !s.isEmpty()).map(Integer::valueOf).collect(Collectors.toSet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Set<Integer> allPartitions() {
        return Stream.iterate(0, p -> p + 1).limit(PARTITIONS).collect(Collectors.toSet());
    }

    /** A user that Kafka's default partitioner puts in {@code partition}. */
    private static String userIn(int partition) {
        for (int i = 0; ; i++) {
            String user = "failover-user-" + i;
            if (Utils.toPositive(Utils.murmur2(user.getBytes(StandardCharsets.UTF_8))) % PARTITIONS == partition) {
                return user;
            }
        }
    }

    private Path log(String name) {
        return workDir.resolve("worker-" + name + ".log");
    }
}
