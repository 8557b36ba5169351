package dev.economyengine.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.economyengine.app.EconomyEngine;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The benchmark end to end at a tiny scale, every phase included, on an in-process broker of its own.
 * Asserts only that it completes and reports every figure: timings are the benchmark's business, never
 * a test's.
 */
class BenchCommandTest {
    /** For the runs that must not start a worker. */
    private static final RunningEngine.Starter NO_WORKER = config -> {
        throw new AssertionError("this run must not start a worker");
    };

    @TempDir
    Path directory;

    @ParameterizedTest(name = "worker.threads={0}")
    @ValueSource(strings = {"1", "2"})
    void tinyRun_completesAndWritesEveryFigurePositive(String workerThreads) throws Exception {
        Path config = Files.writeString(directory.resolve("economy.properties"), "# defaults only\n");
        Path output = directory.resolve("bench.json");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int exitCode = BenchCommand.run(
                List.of("--requests", "5000", "--naive-transfers", "5000", "--latency-seconds", "2",
                        "--latency-warmup-seconds", "1", "--output", output.toString()),
                Map.of("ECONOMY_CONFIG", config.toString(), "ECONOMY_WORKER_THREADS", workerThreads),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                EconomyEngine::start);

        assertThat(exitCode).as("exit code; stderr:%n%s", err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("worker / exactly-once passthrough")
                .contains("0/7 warm-up, not measured: phases 1 to 4 over 5,000 requests");
        JsonNode report = new ObjectMapper().readTree(output.toFile());
        assertThat(report.at("/context/warmupRequests").asInt()).as("warm-up round: requests, at most 200,000")
                .isEqualTo(5000);
        for (String figure : List.of("/ceilings/passthrough/recordsPerSecond", "/ceilings/passthrough/recordsPerTransaction",
                "/ceilings/passthroughThreeRecordsPerRequest/requestsPerSecond", "/ratios/workerOverThreeRecordPassthrough",
                "/ledgerAlone/requestsPerSecond", "/ceilings/naiveSqlite/transfersPerSecond",
                "/ceilings/naiveSqliteStatementsReused/transfersPerSecond",
                "/ratios/workerOverNaiveSqliteStatementsReused", "/worker/requestsPerSecond", "/latency/p50Millis",
                "/latency/p99Millis", "/latency/maxMillis", "/ceilings/passthroughLatency/p50Millis",
                "/ceilings/passthroughLatency/p99Millis", "/ceilings/passthroughLatency/cpuMicrosPerRequest",
                "/ratios/p99OverPassthroughMillis", "/restore/changelogRecordsPerSecond",
                "/restore/ledgerEntriesPerSecond", "/ratios/workerOverPassthrough", "/ratios/workerOverNaiveSqlite",
                "/worker/jitShareOfCpu", "/latency/jitShareOfCpu", "/worker/ownCpuMicrosPerRequest",
                "/worker/brokerCpuMicrosPerRequest", "/latency/ownCpuMicrosPerRequest",
                "/latency/brokerCpuMicrosPerRequest", "/ceilings/passthroughLatency/ownCpuMicrosPerRequest",
                "/ceilings/passthroughLatency/brokerCpuMicrosPerRequest")) {
            assertThat(report.at(figure).isNumber()).as(figure).isTrue();
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("request mix: 30.0% earn game_completion (coins)");
        assertThat(report.at("/mix/shares/spend_gems").doubleValue()).isEqualTo(0.05);
        assertThat(report.at("/mix/shares/daily_login").doubleValue()).isEqualTo(0.06);
        assertThat(report.at("/mix/shares/first_purchase").doubleValue()).isEqualTo(0.01);
        assertThat(report.at("/outcomes/spend_gems/OK").asLong()).as("gem spends accepted").isPositive();
        assertThat(report.at("/outcomes/daily_login/LIMIT_REACHED").asLong())
                .as("daily logins after a user's first of the day: the hot users' at least").isPositive();
        assertThat(report.at("/outcomes/first_purchase/OK").asLong()).as("first purchases accepted").isPositive();
        long answered = 0;
        for (JsonNode kind : report.get("outcomes")) {
            answered += kind.get("requests").asLong();
        }
        assertThat(answered).as("a result of every request of the backlog, by kind").isEqualTo(5000);
        // The context (the machine's load average among it), the JIT's share of a phase (once the code
        // is compiled) may be 0, and a difference of two latencies of any sign; every measured figure may not.
        assertThat(numbersIn(report, "", new ArrayList<>()))
                .filteredOn(figure -> !figure.startsWith("/context/") && !figure.endsWith("/jitShareOfCpu")
                        && !figure.equals("/ratios/p99OverPassthroughMillis"))
                .isNotEmpty()
                .allSatisfy(figure -> assertThat(report.at(figure).doubleValue()).as(figure).isPositive());
    }

    @Test
    void latencyCurve_onABrokerProcess_printsARowPerRate_andWritesEachPointsFigures() throws Exception {
        Path config = Files.writeString(directory.resolve("economy.properties"), "# defaults only\n");
        Path output = directory.resolve("curve.json");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int exitCode = BenchCommand.run(
                List.of("--latency-curve", "--broker-process", "--curve-rates", "200,400", "--latency-seconds", "1",
                        "--latency-warmup-seconds", "0", "--warmup-requests", "2000", "--users", "1000",
                        "--output", output.toString()),
                Map.of("ECONOMY_CONFIG", config.toString()),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                EconomyEngine::start);

        assertThat(exitCode).as("exit code; stderr:%n%s", err.toString(StandardCharsets.UTF_8)).isZero();
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).anyMatch(line -> line.contains("broker a process of its own"))
                .anyMatch(line -> line.startsWith("requests/s"))
                .anyMatch(line -> line.matches("\\s*200\\*?(\\s+\\S+){10}"))
                .anyMatch(line -> line.matches("\\s*400\\*?(\\s+\\S+){10}"));
        JsonNode report = new ObjectMapper().readTree(output.toFile());
        assertThat(report.at("/context/broker").asText()).isEqualTo("PROCESS");
        assertThat(report.at("/backlog/requests").asInt()).isEqualTo(2000);
        assertThat(report.at("/curve")).hasSize(2);
        assertThat(report.at("/curve/1/requestsPerSecond").asInt()).isEqualTo(400);
        List<String> figures = new ArrayList<>(List.of("/backlog/requestsPerSecond", "/backlog/ownCpuMicrosPerRequest",
                "/backlog/brokerCpuMicrosPerRequest"));
        for (String point : List.of("/curve/0", "/curve/1")) {
            for (String side : List.of("/worker", "/passthrough")) {
                for (String figure : List.of("/p50Millis", "/p99Millis", "/maxMillis", "/ownCpuMicrosPerRequest",
                        "/brokerCpuMicrosPerRequest")) {
                    figures.add(point + side + figure);
                }
            }
        }
        assertThat(figures).allSatisfy(figure -> assertThat(report.at(figure).isNumber()).as(figure).isTrue())
                .allSatisfy(figure -> assertThat(report.at(figure).doubleValue()).as(figure).isPositive());
    }

    @Test
    void requestReply_measuresASpendsRoundTripThroughKafkaTheClientAndHttp_atOneRate() throws Exception {
        Path config = Files.writeString(directory.resolve("economy.properties"), "# defaults only\n");
        Path output = directory.resolve("request-reply.json");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int exitCode = BenchCommand.run(
                List.of("--request-reply", "--latency-rate", "200", "--latency-seconds", "1",
                        "--latency-warmup-seconds", "0", "--output", output.toString()),
                Map.of("ECONOMY_CONFIG", config.toString()),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                EconomyEngine::start);

        assertThat(exitCode).as("exit code; stderr:%n%s", err.toString(StandardCharsets.UTF_8)).isZero();
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).anyMatch(line -> line.matches("kafka\\s.*"))
                .anyMatch(line -> line.matches("client\\s.*\\s[+-]\\d+\\.\\d\\s+[+-]\\d+\\.\\d"))
                .anyMatch(line -> line.matches("http\\s.*\\s[+-]\\d+\\.\\d\\s+[+-]\\d+\\.\\d"));
        JsonNode report = new ObjectMapper().readTree(output.toFile());
        assertThat(report.at("/context/requestsPerSecond").asInt()).isEqualTo(200);
        assertThat(report.at("/paths")).extracting(path -> path.get("path").asText())
                .containsExactly("kafka", "client", "http");
        for (JsonNode path : report.at("/paths")) {
            assertThat(path.get("requests").asInt()).as(path.get("path").asText()).isEqualTo(200);
            for (String figure : List.of("p50Millis", "p99Millis", "maxMillis")) {
                assertThat(path.get(figure).doubleValue()).as(path.get("path").asText() + " " + figure).isPositive();
            }
        }
    }

    @Test
    void requestReply_pacesAThousandASecond_unlessToldOtherwise() {
        assertThat(BenchOptions.parse(List.of("--request-reply")).latencyRate()).isEqualTo(1000);
        assertThat(BenchOptions.parse(List.of("--request-reply", "--latency-rate", "300")).latencyRate()).isEqualTo(300);
        assertThat(BenchOptions.parse(List.of("--request-reply")).output())
                .isEqualTo(Path.of("target", "request-reply.json"));
    }

    @Test
    void curveRates_defaultToOneThousandToTwentyThousand_andTakeACommaSeparatedList() {
        assertThat(BenchOptions.parse(List.of("--latency-curve")).curveRates())
                .containsExactly(1000, 2000, 5000, 10_000, 20_000);
        BenchOptions options = BenchOptions.parse(List.of("--latency-curve", "--curve-rates", "500, 1_000,3000"));
        assertThat(options.mode()).isEqualTo(BenchOptions.Mode.LATENCY_CURVE);
        assertThat(options.curveRates()).containsExactly(500, 1000, 3000);
        assertThat(options.output()).isEqualTo(Path.of("target", "latency-curve.json"));
        assertThat(BenchOptions.parse(List.of()).mode()).isEqualTo(BenchOptions.Mode.PHASES);
        assertThat(BenchOptions.parse(List.of()).brokerProcess()).isFalse();
        assertThat(BenchOptions.parse(List.of("--broker-process", "--requests", "5")).brokerProcess()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "--curve-rates 1000                      | --curve-rates needs --latency-curve",
            "--latency-curve --ledger-growth 5       | --latency-curve, --ledger-growth and --request-reply are separate runs",
            "--request-reply --latency-curve         | --latency-curve, --ledger-growth and --request-reply are separate runs",
            "--ledger-growth 5 --broker-process      | --ledger-growth needs no broker",
            "--latency-curve --latency-rate 500      | --latency-rate is for the phases",
            "--latency-curve --curve-rates 1000,x    | --curve-rates must be whole numbers separated by commas",
            "--latency-curve --curve-rates 1000,0    | each of --curve-rates must be at least 1",
            "--latency-curve --curve-rates           | --curve-rates needs a value"})
    void conflictingOrMalformedCurveOptions_areABadCommandLine(String args, String message) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int exitCode = BenchCommand.run(List.of(args.split(" ")), Map.of(),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), NO_WORKER);

        assertThat(exitCode).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains(message);
    }

    @Test
    void brokerProcess_withAConfiguredBroker_isAConfigurationError() throws Exception {
        Path config = Files.writeString(directory.resolve("economy.properties"), "# defaults only\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int exitCode = BenchCommand.run(List.of("--latency-curve", "--broker-process"),
                Map.of("ECONOMY_CONFIG", config.toString(), "ECONOMY_BOOTSTRAP_SERVERS", "127.0.0.1:1"),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), NO_WORKER);

        assertThat(exitCode).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--broker-process starts a broker of its own")
                .contains("127.0.0.1:1");
    }

    @Test
    void latencyRate_setsThePacedRate_otherwiseHalfTheMeasuredThroughput() {
        assertThat(BenchOptions.parse(List.of("--latency-rate", "2000")).latencyRate()).isEqualTo(2000);
        assertThat(BenchOptions.parse(List.of()).latencyRate()).as("0: half the measured throughput").isZero();
    }

    @Test
    void warmupRequests_defaultToTheRequestsUpTo200000_andMayBeNone() {
        assertThat(BenchOptions.parse(List.of()).warmupRequests()).isEqualTo(200_000);
        assertThat(BenchOptions.parse(List.of("--requests", "5000")).warmupRequests()).isEqualTo(5000);
        assertThat(BenchOptions.parse(List.of("--warmup-requests", "0")).warmupRequests()).isZero();
        assertThatThrownBy(() -> BenchOptions.parse(List.of("--warmup-requests", "-1")))
                .hasMessageContaining("--warmup-requests must not be negative");
    }

    @Test
    void latencyWarmup_defaultsToAtMostAMinute_andMayBeNone() {
        assertThat(BenchOptions.parse(List.of()).latencyWarmupSeconds()).isEqualTo(60);
        assertThat(BenchOptions.parse(List.of("--latency-warmup-seconds", "0")).latencyWarmupSeconds()).isZero();
        assertThatThrownBy(() -> BenchOptions.parse(List.of("--latency-warmup-seconds", "-1")))
                .hasMessageContaining("--latency-warmup-seconds must not be negative");
    }

    @Test
    void negativeLatencyRate_isABadCommandLine() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int exitCode = BenchCommand.run(List.of("--latency-rate", "-5"), Map.of(),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), NO_WORKER);

        assertThat(exitCode).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--latency-rate must not be negative");
    }

    @Test
    void ledgerGrowth_reportsEachTenthOfTheShardsGrowth_andNeedsNoBroker() throws Exception {
        Path config = Files.writeString(directory.resolve("economy.properties"), "# defaults only\n");
        Path output = directory.resolve("growth.json");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        // A bootstrap address where nothing listens: the growth measurement must not need Kafka.
        int exitCode = BenchCommand.run(List.of("--ledger-growth", "20000", "--users", "1000", "--output",
                        output.toString()),
                Map.of("ECONOMY_CONFIG", config.toString(), "ECONOMY_BOOTSTRAP_SERVERS", "127.0.0.1:1"),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                NO_WORKER);

        assertThat(exitCode).as("exit code; stderr:%n%s", err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("20,000 requests over 1,000 users into one shard")
                .doesNotContain("1/7");
        JsonNode steps = new ObjectMapper().readTree(output.toFile()).get("ledgerGrowth");
        assertThat(steps).hasSize(10);
        long previousFile = 0;
        for (int i = 0; i < steps.size(); i++) {
            JsonNode step = steps.get(i);
            assertThat(step.get("shardRequests").asLong()).isEqualTo(2000L * (i + 1));
            assertThat(step.get("requests").asInt()).isEqualTo(2000);
            assertThat(step.get("requestsPerSecond").asDouble()).isPositive();
            assertThat(step.get("cpuMicrosPerRequest").asDouble()).isPositive();
            assertThat(step.get("fileBytes").asLong()).as("the shard only grows").isGreaterThanOrEqualTo(previousFile);
            previousFile = step.get("fileBytes").asLong();
        }
        assertThat(previousFile).isPositive();
        assertThat(BenchOptions.parse(List.of("--ledger-growth", "5")).output())
                .isEqualTo(Path.of("target", "ledger-growth.json"));
        assertThatThrownBy(() -> BenchOptions.parse(List.of("--ledger-growth", "-1")))
                .hasMessageContaining("--ledger-growth must not be negative");
    }

    /** The JSON pointer of every number in the report. */
    private static List<String> numbersIn(JsonNode node, String pointer, List<String> found) {
        if (node.isNumber()) {
            found.add(pointer);
        }
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            numbersIn(field.getValue(), pointer + "/" + field.getKey(), found);
        }
        return found;
    }
}
