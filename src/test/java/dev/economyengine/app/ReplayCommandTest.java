package dev.economyengine.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.economyengine.config.ConfigLoader;
import dev.economyengine.config.EconomyConfig;
import dev.economyengine.store.ShardStore;
import dev.economyengine.store.ShardVerifier;
import dev.economyengine.store.StoreOptions;
import dev.economyengine.store.VerificationReport;
import dev.economyengine.testing.EconomyClient;
import dev.economyengine.testing.EconomyTestEnvironment;
import dev.economyengine.testing.RequestLoad;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replay against a real broker. One worker fills the changelog of two partitions once; each test then
 * works on its own copy of the shards the worker left, and replay only reads Kafka.
 */
class ReplayCommandTest {
    private static final int PARTITIONS = 2;

    @TempDir
    static Path workDir;

    private static EconomyTestEnvironment environment;
    private static Map<Integer, String> originalHashes;

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeAll
    static void fillTheChangelogWithAWorker() {
        environment = new EconomyTestEnvironment(workDir, PARTITIONS);
        try (EconomyClient client = new EconomyClient(environment)) {
            RequestLoad load = new RequestLoad(client, 21, 30);
            EconomyEngine engine = environment.startEngine();
            try {
                load.send(200);
                client.awaitResults(load.totalSent());
            } finally {
                engine.close();
            }
        }
        originalHashes = stateHashes(originalLedger());
        assertThat(originalHashes).containsOnlyKeys(0, 1);
    }

    @Test
    void deletedShard_isRebuiltFromTheChangelog_toItsOriginalStateHash() throws IOException {
        Path ledger = copyOfTheLedger();
        Files.delete(ledger.resolve("shard-1.db"));

        int exit = replay("--partitions", "1", "--data-dir", ledger.getParent().toString());

        assertThat(exit).as(err()).isZero();
        assertThat(filesIn(ledger)).containsExactly("shard-0.db", "shard-1.db");
        assertThat(stateHashes(ledger)).isEqualTo(originalHashes);
        assertThat(out()).startsWith("shard 1  " + ledger.resolve("shard-1.db") + "  CREATED  changelog records=");
        assertThat(out().lines()).hasSize(1);
    }

    @Test
    void corruptShard_isReplacedByOneWithItsOriginalStateHash_andTheSoundOneByAnIdenticalOne() throws IOException {
        Path ledger = copyOfTheLedger();
        Path corrupt = ledger.resolve("shard-0.db");
        Files.write(corrupt, "garbage, not a database\n".repeat(500).getBytes(StandardCharsets.UTF_8));
        // A stale -wal beside the garbage must not be paired with the rebuilt file.
        Files.write(ledger.resolve("shard-0.db-wal"), new byte[4096]);

        int exit = replayWithDataDir(ledger.getParent());

        assertThat(exit).as(err()).isZero();
        assertThat(filesIn(ledger)).as("no temporary or stale files left").containsExactly("shard-0.db", "shard-1.db");
        assertThat(stateHashes(ledger)).isEqualTo(originalHashes);
        assertThat(out().lines()).hasSize(3);
        assertThat(out().lines().toList().get(0)).startsWith("shard 0  " + corrupt + "  REPLACED");
        assertThat(out().lines().toList().get(1)).startsWith("    the file it replaced was unreadable: ");
        assertThat(out().lines().toList().get(2)).startsWith("shard 1  ").contains("  REPLACED  ")
                .endsWith("(the same state as the file it replaced)");
    }

    @Test
    void shardAWorkerHasOpen_isRefusedWithExitOne_andLeftAsItWas() throws IOException {
        Path ledger = copyOfTheLedger();
        Path held = ledger.resolve("shard-0.db");
        byte[] before = Files.readAllBytes(held);

        ShardStore worker = ShardStore.open(held, 0, StoreOptions.defaults());
        int exit;
        try {
            exit = replayWithDataDir(ledger.getParent());
        } finally {
            worker.close();
        }

        assertThat(exit).isEqualTo(1);
        assertThat(err()).contains(held + " is in use").contains("stop the worker");
        assertThat(Files.readAllBytes(held)).isEqualTo(before);
        assertThat(filesIn(ledger)).containsExactly("shard-0.db", "shard-1.db");
        assertThat(stateHashes(ledger)).isEqualTo(originalHashes);
        assertThat(out()).isEmpty();
    }

    @Test
    void changelogHoldingLessThanTheShards_isRefused_andTheShardsAreKept() throws Exception {
        Path ledger = copyOfTheLedger();
        byte[] before = Files.readAllBytes(ledger.resolve("shard-0.db"));
        String emptyChangelog = environment.topics().changelog() + ".empty";
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", environment.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(emptyChangelog, PARTITIONS, (short) 1))).all().get();
        }

        int exit = replay(config(Map.of("ECONOMY_TOPIC_CHANGELOG", emptyChangelog)), "--data-dir",
                ledger.getParent().toString());

        assertThat(exit).isEqualTo(1);
        assertThat(err()).contains("with 0 transactions, but " + ledger.resolve("shard-0.db") + " holds")
                .contains("Nothing was replaced");
        assertThat(Files.readAllBytes(ledger.resolve("shard-0.db"))).isEqualTo(before);
        assertThat(filesIn(ledger)).doesNotContain("shard-0.db.replay", "shard-1.db.replay");
        assertThat(stateHashes(ledger)).isEqualTo(originalHashes);
    }

    @Test
    void dataDirectoryOfTheConfiguration_isTheDefault() throws IOException {
        Path ledger = copyOfTheLedger();
        Files.delete(ledger.resolve("shard-0.db"));

        int exit = replay(config(Map.of("ECONOMY_DATA_DIR", ledger.getParent().toString())), "--partitions", "0");

        assertThat(exit).as(err()).isZero();
        assertThat(stateHashes(ledger)).isEqualTo(originalHashes);
    }

    @Test
    void missingChangelogTopic_exitsOne() {
        int exit = replay(config(Map.of("ECONOMY_TOPIC_CHANGELOG", "no-such-changelog-" + System.nanoTime())),
                "--data-dir", dir.toString());

        assertThat(exit).isEqualTo(1);
        assertThat(err()).contains("does not exist");
        assertThat(filesIn(dir)).isEmpty();
    }

    @Test
    void partitionTheChangelogDoesNotHave_exitsTwo() {
        int exit = replay("--partitions", "0,5", "--data-dir", dir.toString());

        assertThat(exit).isEqualTo(2);
        assertThat(err()).contains("partition 5 does not exist: the changelog has 2 partitions");
        assertThat(filesIn(dir)).isEmpty();
    }

    @Test
    void noBootstrapServers_exitsTwo_withoutStartingABrokerOrTouchingAFile() throws IOException {
        Path configFile = Files.writeString(dir.resolve("economy.properties"), "");
        EconomyConfig config = ConfigLoader.load(Map.of("ECONOMY_CONFIG", configFile.toString(),
                "ECONOMY_DATA_DIR", dir.resolve("data").toString()));

        int exit = ReplayCommand.run(List.of(), config, print(out), print(err));

        assertThat(exit).isEqualTo(2);
        assertThat(err()).contains("replay needs a Kafka cluster: set ECONOMY_BOOTSTRAP_SERVERS");
        assertThat(filesIn(dir)).containsExactly("economy.properties");
    }

    @Test
    void unreachableKafka_failsWithinTheTimeout_withExitOne_andShowsNoSecret() {
        String secret = "s3cret-" + System.nanoTime();
        EconomyConfig config = config(Map.of("ECONOMY_BOOTSTRAP_SERVERS", "127.0.0.1:1",
                "ECONOMY_KAFKA_SASL_JAAS_CONFIG",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"" + secret
                        + "\";"));
        long started = System.nanoTime();

        int exit = replay(config, "--timeout", "2", "--data-dir", dir.toString());

        assertThat(exit).isEqualTo(1);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
        assertThat(err()).contains("Kafka did not answer within 2 s");
        assertThat(out() + err()).doesNotContain(secret);
        assertThat(filesIn(dir)).isEmpty();
    }

    @Test
    void badArguments_exitTwoWithUsage_beforeAnyKafkaCall() {
        EconomyConfig unreachable = config(Map.of("ECONOMY_BOOTSTRAP_SERVERS", "127.0.0.1:1"));

        assertThat(replay(unreachable, "--partitions", "one")).isEqualTo(2);
        assertThat(replay(unreachable, "--partitions", "-1")).isEqualTo(2);
        assertThat(replay(unreachable, "--timeout", "0")).isEqualTo(2);
        assertThat(replay(unreachable, "shard-0.db")).isEqualTo(2);
        assertThat(replay(unreachable, "--force")).isEqualTo(2);

        assertThat(err()).contains("--partitions takes partition numbers", "--timeout takes a whole number",
                "replay takes no operands", "unknown option '--force'", "usage: economy-engine replay");
    }

    @Test
    void help_printsUsageAndExitsZero() {
        int exit = replay("--help");

        assertThat(exit).isZero();
        assertThat(out()).startsWith("usage: economy-engine replay [--partitions 0,2,...] [--data-dir <dir>]");
    }

    // --- helpers --------------------------------------------------------------------------------------

    private static Path originalLedger() {
        return environment.dataDir().resolve("ledger");
    }

    /** This test's own copy of the shards the worker left, as {@code <dir>/data/ledger}. */
    private Path copyOfTheLedger() throws IOException {
        Path ledger = Files.createDirectories(dir.resolve("data").resolve("ledger"));
        for (String name : filesIn(originalLedger())) {
            if (name.matches("shard-\\d+\\.db")) {
                Files.copy(originalLedger().resolve(name), ledger.resolve(name));
            }
        }
        return ledger;
    }

    private static Map<Integer, String> stateHashes(Path ledger) {
        Map<Integer, String> hashes = new TreeMap<>();
        for (String name : filesIn(ledger)) {
            if (name.matches("shard-\\d+\\.db")) {
                VerificationReport report = ShardVerifier.verify(ledger.resolve(name));
                assertThat(report.ok()).as(name + ": " + report.violations()).isTrue();
                hashes.put(report.shardId(), report.stateHash());
            }
        }
        return hashes;
    }

    private static List<String> filesIn(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static EconomyConfig config(Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>(environment.env());
        env.putAll(overrides);
        return ConfigLoader.load(env);
    }

    private int replayWithDataDir(Path dataDir) {
        return replay("--data-dir", dataDir.toString());
    }

    private int replay(String... args) {
        return replay(config(Map.of()), args);
    }

    private int replay(EconomyConfig config, String... args) {
        return ReplayCommand.run(List.of(args), config, print(out), print(err));
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
