package dev.economyengine.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.economyengine.store.VerificationReport;
import dev.economyengine.testing.EconomyClient;
import dev.economyengine.testing.EconomyTestEnvironment;
import dev.economyengine.testing.LedgerAudit;
import dev.economyengine.testing.RequestLoad;
import dev.economyengine.testing.WorkerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three worker processes in one consumer group, each with a data directory of its own, joining,
 * leaving, dying and coming back while requests flow. Partitions move between them; a shard left
 * behind on a worker that lost its partition is stale but must stay sound, and no two workers may ever
 * draw on the same coins.
 */
class ScaleOutTest {
    private static final int PARTITIONS = 6;
    private static final Pattern SHARDS_OPEN = Pattern.compile("partitions assigned: .*; shards assigned: \\[([0-9, ]*)\\]");

    @TempDir
    Path workDir;

    private EconomyTestEnvironment environment;
    private final List<WorkerProcess> started = new ArrayList<>();
    private final List<WorkerProcess> running = new CopyOnWriteArrayList<>();

    @BeforeEach
    void createTopics() {
        // No group.instance.id: dynamic members, so a graceful leave moves partitions at once.
        environment = new EconomyTestEnvironment(workDir, PARTITIONS);
        environment.createTopics(PARTITIONS);
    }

    @Test
    void workersJoiningLeavingAndDying_moveShardsWithoutLosingOrDoublingAnything() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        System.out.println("scale-out test seed " + seed);
        try (EconomyClient client = new EconomyClient(environment)) {
            RequestLoad load = new RequestLoad(client, seed, 60);

            WorkerProcess a = startWorker("a", "a");
            load.send(100);
            awaitAnswered(client, load.totalSent());
            assertThat(shardSetsOpened("a")).as("a alone owns every partition").contains(allPartitions());

            WorkerProcess b = startWorker("b", "b-1");
            sendWhileAwaitingShards(load, b, "b-1");
            awaitProgress(client, load, random);

            WorkerProcess c = startWorker("c", "c");
            sendWhileAwaitingShards(load, c, "c");
            awaitProgress(client, load, random);

            // B leaves gracefully: it finishes its batch, commits, and leaves the group.
            load.send(50 + random.nextInt(100));
            awaitProgress(client, load, random);
            assertThat(stop(b).terminate()).as("b's exit code after SIGTERM (128 + 15)").isEqualTo(143);
            load.send(50 + random.nextInt(100));
            awaitAnswered(client, load.totalSent());

            // C dies mid-stream: its open transaction aborts, its partitions move after the session timeout.
            load.send(100 + random.nextInt(100));
            awaitProgress(client, load, random);
            stop(c).kill();
            load.send(random.nextInt(50));

            // B comes back on its old data directory, whose shards are now behind.
            b = startWorker("b", "b-2");
            sendWhileAwaitingShards(load, b, "b-2");
            load.send(100);
            awaitAnswered(client, load.totalSent());
            assertThat(stop(a).terminate()).as("a's exit code after SIGTERM").isEqualTo(143);
            assertThat(stop(b).terminate()).as("b's exit code after SIGTERM").isEqualTo(143);

            LedgerAudit.check(load.timesSent(), client.results(), client.balanceChanges());
            Map<String, List<VerificationReport>> shardsByWorker = new HashMap<>();
            for (String worker : List.of("a", "b", "c")) {
                shardsByWorker.put(worker, LedgerAudit.verifyShards(dataDir(worker)));
            }
            assertPartitionsMoved(shardsByWorker);
        }
    }

    /** Awaits answers while checking that no worker that should be running has died. */
    private void awaitAnswered(EconomyClient client, int count) {
        await().atMost(EconomyClient.TIMEOUT).until(() -> {
            running.forEach(worker -> assertThat(worker.isAlive())
                    .as(worker.log().getFileName() + " is running (its log is kept in target/worker-logs)").isTrue());
            return client.results().size() >= count;
        });
    }

    /** The worker is about to be stopped on purpose: its end is no failure. */
    private WorkerProcess stop(WorkerProcess worker) {
        running.remove(worker);
        return worker;
    }

    /** Publishes in small steps until the worker that just started has opened shards of its own. */
    private void sendWhileAwaitingShards(RequestLoad load, WorkerProcess worker, String logName) {
        await().atMost(EconomyClient.TIMEOUT).pollInterval(Duration.ofMillis(500)).until(() -> {
            assertThat(worker.isAlive()).as("worker " + logName + " is running (its log is kept in target/worker-logs)")
                    .isTrue();
            load.send(10);
            return shardSetsOpened(logName).stream().anyMatch(set -> !set.isEmpty());
        });
    }

    /** Waits until some, but not necessarily all, of what was sent is answered: the next step lands mid-stream. */
    private void awaitProgress(EconomyClient client, RequestLoad load, Random random) {
        int answered = client.results().size();
        int outstanding = load.totalSent() - answered;
        if (outstanding > 0) {
            awaitAnswered(client, answered + 1 + random.nextInt(outstanding));
        }
    }

    private void assertPartitionsMoved(Map<String, List<VerificationReport>> shardsByWorker) {
        Map<Integer, Set<String>> holders = new HashMap<>();
        shardsByWorker.forEach((worker, reports) -> {
            assertThat(reports).as(worker + " held shards at some point").isNotEmpty();
            reports.forEach(r -> holders.computeIfAbsent(r.shardId(), p -> new TreeSet<>()).add(worker));
        });
        assertThat(holders).as("shard files of every partition").containsOnlyKeys(allPartitions());
        assertThat(holders.values()).as("some partition was owned by more than one worker over time")
                .anyMatch(workers -> workers.size() > 1);
        assertThat(shardSetsOpened("a")).as("a's assignment changed as workers came and went")
                .hasSizeGreaterThan(1);
    }

    /** The distinct sets of open shards a worker logged after each assignment, in order. */
    private Set<Set<Integer>> shardSetsOpened(String logName) {
        Path log = logFile(logName);
        if (!Files.exists(log)) {
            return Set.of();
        }
        try {
            Set<Set<Integer>> sets = new LinkedHashSet<>();
            Matcher matcher = SHARDS_OPEN.matcher(Files.readString(log));
            while (matcher.find()) {
                sets.add(Stream.of(matcher.group(1).split(","))
                        .map(String::trim)
                        .filter(s -> !s.isEmpty())
                        .map(Integer::valueOf)
                        .collect(Collectors.toCollection(TreeSet::new)));
            }
            return sets;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Set<Integer> allPartitions() {
        Set<Integer> all = new TreeSet<>();
        for (int p = 0; p < PARTITIONS; p++) {
            all.add(p);
        }
        return all;
    }

    private WorkerProcess startWorker(String name, String logName) {
        Map<String, String> env = new HashMap<>(environment.env());
        // Same group and topics, a data directory (hence shard files and transactional.id) of its own.
        env.put("ECONOMY_DATA_DIR", dataDir(name).toString());
        WorkerProcess worker = WorkerProcess.start(env, logFile(logName));
        started.add(worker);
        running.add(worker);
        return worker;
    }

    private Path dataDir(String worker) {
        return workDir.resolve("data-" + worker);
    }

    private Path logFile(String logName) {
        return workDir.resolve("worker-" + logName + ".log");
    }

    @AfterEach
    void stopWorkersAndKeepLogs(TestInfo test) throws IOException {
        started.forEach(WorkerProcess::close);
        String testName = test.getTestMethod().orElseThrow().getName();
        Path keptDir = Path.of("target", "worker-logs");
        Files.createDirectories(keptDir);
        try (Stream<Path> stale = Files.list(keptDir)) {
            // A log kept from an earlier run must not pass for this run's.
            for (Path log : stale.filter(f -> f.getFileName().toString().startsWith(testName + "-")).toList()) {
                Files.delete(log);
            }
        }
        try (Stream<Path> logs = Files.list(workDir)) {
            for (Path log : logs.filter(f -> f.getFileName().toString().matches("worker-.*\\.log")).toList()) {
                // The workers' own logs, kept beside the surefire reports for whoever reads a failure.
                Files.copy(log, keptDir.resolve(testName + "-" + log.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
