package dev.economyengine.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.economyengine.testing.CommandProcess;
import dev.economyengine.testing.EconomyTestEnvironment;
import dev.economyengine.testing.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The worker as an operator runs it: a real process, its own logging, its exit codes. */
class StartAndStopTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    Path workDir;

    @AfterEach
    void keepOutputs(TestInfo test) {
        CommandProcess.keepOutputs(workDir, "StartAndStopTest-" + test.getTestMethod().orElseThrow().getName());
    }

    @Test
    void normalStartAndStop_withTheEmbeddedBroker_logsJsonLinesAndNoWarning_andExits143() throws IOException {
        try (CommandProcess worker = CommandProcess.start(List.of("run"), embeddedWorker(), workDir, "worker")) {
            worker.awaitReady();
            worker.terminate();

            assertThat(worker.awaitExit(TIMEOUT)).as("exit code after SIGTERM (128 + 15)").hasValue(143);
            // Not a terminal: JSON lines, one per event, as a log collector reads them.
            List<JsonNode> events = worker.stdout().lines()
                    .map(line -> Json.parse(line.getBytes(StandardCharsets.UTF_8))).toList();
            assertThat(events).extracting(event -> event.get("message").asText())
                    .anySatisfy(message -> assertThat(message).startsWith("economy engine started"))
                    .anySatisfy(message -> assertThat(message).startsWith("worker stopping"));
            assertThat(events).filteredOn(event -> !event.get("level").asText().equals("INFO"))
                    .as("events above INFO").isEmpty();
            assertThat(worker.stderr()).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0} in use")
    @CsvSource({
        "embedded.kafka.port, ECONOMY_EMBEDDED_KAFKA_PORT, false",
        "http.port,           ECONOMY_HTTP_PORT,           true",
    })
    void portInUse_isRefusedInOneLineNamingItsKeyAndVariable_withoutAStackTrace_exitTwo(String key, String variable,
            boolean externalBroker) throws IOException {
        Map<String, String> env = externalBroker
                ? new HashMap<>(new EconomyTestEnvironment(workDir, 1).env())
                : embeddedWorker();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            env.put(variable, Integer.toString(taken.getLocalPort()));
            env.put("ECONOMY_HTTP_HOST", "127.0.0.1");

            CommandProcess refused = CommandProcess.run(List.of("run"), env, workDir, "refused", TIMEOUT);

            assertThat(refused.exitCode()).as(refused.stderr()).isEqualTo(2);
            assertThat(refused.stderr().lines()).singleElement().asString()
                    .contains(":" + taken.getLocalPort(), "(" + key + ", " + variable + ")",
                            "set " + variable + " to another port");
            assertThat(refused.stdout() + refused.stderr()).doesNotContain("\tat ", "Exception");
        }
    }

    /** No bootstrap servers: the embedded broker, on a free port, in a data directory of the test's own. */
    private Map<String, String> embeddedWorker() throws IOException {
        Path config = Files.writeString(workDir.resolve("embedded.properties"), "");
        Map<String, String> env = new HashMap<>();
        env.put("ECONOMY_CONFIG", config.toString());
        env.put("ECONOMY_DATA_DIR", workDir.resolve("data").toString());
        env.put("ECONOMY_EMBEDDED_KAFKA_PORT", "0");
        env.put("ECONOMY_HTTP_HOST", "127.0.0.1");
        env.put("ECONOMY_HTTP_PORT", "0");
        return env;
    }
}
