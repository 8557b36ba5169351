package dev.economyengine.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.economyengine.config.ConfigLoader;
import dev.economyengine.testing.CommandProcess;
import dev.economyengine.testing.EconomyTestEnvironment;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo tells each step in words, and never disturbs a worker that already runs. */
class DemoTest {
    /** What the shipped earning rules make of the demo's requests, after the user's name. */
    private static final List<String> STEPS = List.of(
            ": ACCEPTED, balance 10",
            "  earn game_completion: ACCEPTED, balance 60",
            "  spend 45 on sku:sword: ACCEPTED, balance 15",
            "  spend more than the balance (500 on sku:castle): REJECTED INSUFFICIENT_BALANCE, balance unchanged",
            "  retry of the same request (r3, spend 45 on sku:sword): answered as a duplicate, nothing applied twice"
                    + " (balance 15)",
            "  earn found_a_coin, an action the earning rules do not know: REJECTED UNKNOWN_ACTION, balance unchanged",
            "Balance-changed events: 3, one for each request applied.",
            "Demo done: every request answered once, nothing applied twice; final balance 15.");
    private static final Pattern TEMPORARY_DIRECTORY = Pattern.compile("temporary data directory (\\S+) ");

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @Test
    void withAWorkerAtTheConfiguredBootstrapServers_talksToIt_andStartsNothingOfItsOwn() {
        EconomyTestEnvironment environment = new EconomyTestEnvironment(dir, 2);
        try (EconomyEngine worker = environment.startEngine()) {
            // In its group: until then the demo could not tell it from no worker at all.
            await().atMost(Duration.ofSeconds(60)).until(() -> worker.readiness().ready());

            int exit = Demo.run(ConfigLoader.load(environment.env()), environment.env(), print(out));

            assertThat(exit).as(out()).isZero();
            assertThat(out().lines().toList().get(0)).isEqualTo("A worker answers at " + environment.bootstrapServers()
                    + " (group " + environment.groupId() + "): the demo sends its requests there and starts nothing"
                    + " of its own.");
            assertTellsEveryStep(out());
            assertThat(worker.isRunning()).isTrue();
        }
    }

    @Test
    void withoutAWorker_runsOneOfItsOwnOnATemporaryDirectoryAndFreePorts_andDeletesIt() throws IOException {
        // The configured ports are taken, as by a running worker: the demo must use others.
        try (ServerSocket kafkaPort = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ServerSocket httpPort = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Map<String, String> env = new HashMap<>(Map.of(
                    "ECONOMY_CONFIG", Files.writeString(dir.resolve("economy.properties"), "").toString(),
                    "ECONOMY_DATA_DIR", dir.resolve("data").toString(),
                    "ECONOMY_EMBEDDED_KAFKA_PORT", Integer.toString(kafkaPort.getLocalPort()),
                    "ECONOMY_HTTP_PORT", Integer.toString(httpPort.getLocalPort())));

            int exit = Demo.run(ConfigLoader.load(env), env, print(out));

            assertThat(exit).as(out()).isZero();
        }
        assertThat(out().lines().toList().get(0)).startsWith("Starting a worker of its own, with an embedded Kafka"
                + " broker, on the temporary data directory ").endsWith("any worker already running is left alone.");
        assertTellsEveryStep(out());
        assertThat(temporaryDirectory(out())).doesNotExist();
        assertThat(dir.resolve("data")).as("the configured data directory").doesNotExist();
    }

    @Test
    void withConfiguredBootstrapServersThatDoNotAnswer_saysSo_andRunsOneOfItsOwn() throws IOException {
        String nobody = "127.0.0.1:" + freePort();
        Map<String, String> env = Map.of(
                "ECONOMY_CONFIG", Files.writeString(dir.resolve("economy.properties"), "").toString(),
                "ECONOMY_BOOTSTRAP_SERVERS", nobody,
                "ECONOMY_DATA_DIR", dir.resolve("data").toString());

        int exit = Demo.run(ConfigLoader.load(env), env, print(out));

        assertThat(exit).as(out()).isZero();
        assertThat(out().lines().toList().get(0)).startsWith("Kafka at " + nobody + " does not answer")
                .endsWith(": the demo runs a worker of its own instead.");
        assertThat(out().lines().toList().get(1)).startsWith("Starting a worker of its own");
        assertTellsEveryStep(out());
    }

    /**
     * The regression the demo's rewrite came from: a demo started beside a worker running with its embedded
     * broker, on the same configuration, wrote into that broker's directory; here the worker goes on as if
     * nothing happened, and stops as usual.
     */
    @Test
    void besideAWorkerWithItsEmbeddedBroker_onTheSameConfiguration_leavesThatWorkerUndisturbed() throws IOException {
        Map<String, String> env = new HashMap<>(Map.of(
                "ECONOMY_CONFIG", Files.writeString(dir.resolve("economy.properties"), "").toString(),
                "ECONOMY_DATA_DIR", dir.resolve("data").toString(),
                "ECONOMY_EMBEDDED_KAFKA_PORT", Integer.toString(freePort()),
                "ECONOMY_HTTP_HOST", "127.0.0.1",
                "ECONOMY_HTTP_PORT", Integer.toString(freePort())));
        try (CommandProcess worker = CommandProcess.start(List.of("run"), env, dir, "worker")) {
            worker.awaitReady();

            CommandProcess demo = CommandProcess.run(List.of("demo"), env, dir, "demo", Duration.ofSeconds(180));

            assertThat(demo.exitCode()).as(demo.stdout() + demo.stderr()).isZero();
            assertTellsEveryStep(demo.stdout());
            assertThat(temporaryDirectory(demo.stdout())).doesNotExist();
            assertThat(worker.isAlive()).isTrue();
            assertThat(worker.awaitReady()).isNotEmpty();
            worker.terminate();
            assertThat(worker.awaitExit(Duration.ofSeconds(90))).as("exit code after SIGTERM").hasValue(143);
            assertThat(worker.stdout().lines()).noneMatch(line -> line.contains("\"level\":\"WARN\"")
                    || line.contains("\"level\":\"ERROR\""));
        } finally {
            CommandProcess.keepOutputs(dir, "DemoTest");
        }
    }

    private static void assertTellsEveryStep(String output) {
        assertThat(output).contains("Sending 6 requests for user demo-");
        List<String> lines = output.lines().toList();
        int first = lines.indexOf(lines.stream().filter(line -> line.startsWith("  earn daily_login for user demo-"))
                .findFirst().orElseThrow(() -> new AssertionError("no first step in:\n" + output)));
        assertThat(lines.get(first)).endsWith(STEPS.get(0));
        assertThat(lines.subList(first + 1, first + STEPS.size())).containsExactlyElementsOf(STEPS.subList(1, STEPS.size()));
    }

    private static Path temporaryDirectory(String output) {
        Matcher matcher = TEMPORARY_DIRECTORY.matcher(output);
        assertThat(matcher.find()).as("the temporary directory named in:\n" + output).isTrue();
        return Path.of(matcher.group(1));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }
}
