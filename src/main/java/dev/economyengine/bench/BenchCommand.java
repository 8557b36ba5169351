package dev.economyengine.bench;

import dev.economyengine.config.ConfigException;
import dev.economyengine.config.ConfigLoader;
import dev.economyengine.config.RulesLoader;
import dev.economyengine.ledger.Economy;
import dev.economyengine.messaging.ClientProperties;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * {@code economy-engine bench [options]}: measures, in one run on one broker, the two ceilings first,
 * then the worker's throughput, the passthrough's latency and then the worker's at half that
 * throughput, and the worker's restore speed, and prints
 * one table with the ratios (also written as JSON). With {@code --latency-curve}, the worker's latency
 * and CPU per request at several rates beside the passthrough's ({@link LatencyCurve}); with
 * {@code --ledger-growth}, only one shard's cost as it grows ({@link LedgerGrowth}). With
 * {@code --request-reply}, a spend's round trip through Kafka, the Java client and HTTP
 * ({@link RequestReply}). With {@code --broker-process}, the broker runs in a process of its own ({@link BrokerProcess}). Exit codes:
 * 0 done, 1 failed, 2 bad command line or configuration.
 */
public final class BenchCommand {
    public static final String USAGE = BenchOptions.USAGE;

    private BenchCommand() {}

    /**
     * Runs the benchmark and returns its exit code; {@code engines} starts the worker under test (the
     * composition root knows how, the benchmark does not).
     */
    public static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err,
            RunningEngine.Starter engines) {
        if (args.contains("--help") || args.contains("-h")) {
            out.println(BenchOptions.USAGE);
            return 0;
        }
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("bench: " + e.getMessage());
            err.println(BenchOptions.USAGE);
            return 2;
        }
        try {
            return switch (options.mode()) {
                case PHASES -> phases(options, env, out, engines);
                case LATENCY_CURVE -> latencyCurve(options, env, out, engines);
                case LEDGER_GROWTH -> ledgerGrowth(options, env, out);
                case REQUEST_REPLY -> requestReply(options, env, out, engines);
            };
        } catch (ConfigException e) {
            err.println("configuration error: " + e.getMessage());
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("bench interrupted");
            return 1;
        } catch (Exception e) {
            err.println("bench failed: " + e);
            e.printStackTrace(err);
            return 1;
        }
    }

    /** Every phase, on a broker of its own (or the one configured). */
    private static int phases(BenchOptions options, Map<String, String> env, PrintStream out,
            RunningEngine.Starter engines) throws Exception {
        try (BenchWorld world = BenchWorld.create(env, options.brokerProcess())) {
            BenchReport report = measure(world, options, out, engines);
            out.println();
            out.print(report.table());
            report.writeJson(options.output());
            out.println();
            out.println("JSON written to " + options.output().toAbsolutePath());
            return 0;
        }
    }

    /** {@code --latency-curve}: the worker's and the passthrough's latency and CPU at each rate; no other phase. */
    private static int latencyCurve(BenchOptions options, Map<String, String> env, PrintStream out,
            RunningEngine.Starter engines) throws Exception {
        try (BenchWorld world = BenchWorld.create(env, options.brokerProcess())) {
            CurveReport report = LatencyCurve.run(world, options, out, engines);
            out.println();
            out.print(report.table());
            report.writeJson(options.output());
            out.println();
            out.println("JSON written to " + options.output().toAbsolutePath());
            return 0;
        }
    }

    /**
     * {@code --request-reply}: a spend's round trip through Kafka, the Java client and HTTP, at one rate,
     * against a worker whose HTTP writes are enabled (with the operator's write token, or one of its own).
     */
    private static int requestReply(BenchOptions options, Map<String, String> env, PrintStream out,
            RunningEngine.Starter engines) throws Exception {
        String tokenVariable = ConfigLoader.envName("http.write-token");
        Map<String, String> withWrites = new HashMap<>(env);
        String token = withWrites.computeIfAbsent(tokenVariable, variable -> randomToken());
        try (BenchWorld world = BenchWorld.create(withWrites, options.brokerProcess())) {
            RequestReplyReport report = RequestReply.run(world, options, token, out, engines);
            out.println();
            out.print(report.table());
            report.writeJson(options.output());
            out.println();
            out.println("JSON written to " + options.output().toAbsolutePath());
            return 0;
        }
    }

    private static String randomToken() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** {@code --ledger-growth}: one shard's cost per request as it grows; no broker, no other phase. */
    private static int ledgerGrowth(BenchOptions options, Map<String, String> env, PrintStream out)
            throws IOException {
        Economy economy = RulesLoader.load(ConfigLoader.load(env).rulesFile());
        Path directory = Files.createTempDirectory("economy-growth");
        try {
            out.printf("the worker's ledger alone, no Kafka: %,d requests over %,d users into one shard, in batches of"
                    + " %,d%n", options.ledgerGrowth(), options.users(), LedgerAlone.BATCH);
            List<LedgerGrowth.Step> steps = LedgerGrowth.run(directory, new RequestMix(options.seed(), options.users(),
                    "g"), options.ledgerGrowth(), economy, out);
            LedgerGrowth.writeJson(options.output(), steps, options.users());
            out.println();
            out.println("JSON written to " + options.output().toAbsolutePath());
            return 0;
        } finally {
            BenchWorld.deleteRecursively(directory);
        }
    }

    /** The figures of the throughput phases, 1 to 4. */
    private record Throughput(PassthroughCeiling.Figures passthrough, PassthroughCeiling.Figures threeOut,
            NaiveSqliteCeiling.Figures naive, NaiveSqliteCeiling.Figures naiveReused, LedgerAlone.Figures ledger,
            WorkerThroughput.Figures worker) {}

    /**
     * The phases in order: a warm-up round of the throughput phases, the load, the throughput
     * ceilings, the worker's throughput; then, at half that rate, the latency ceiling and the worker's
     * latency; then its restore.
     */
    static BenchReport measure(BenchWorld world, BenchOptions options, PrintStream progress,
            RunningEngine.Starter engines) throws Exception {
        double loadAtStart = ProcessCpu.loadAverage();
        if (options.warmupRequests() > 0) {
            progress.printf("0/7 warm-up, not measured: phases 1 to 4 over %,d requests on topics of their own, so that"
                    + " the JIT compilers have compiled the code of the broker, the clients and the worker, as in a"
                    + " long-running broker and worker%n", options.warmupRequests());
            long started = System.nanoTime();
            try (BenchWorld warm = world.sibling(); WorkerUnderTest worker = new WorkerUnderTest(warm, engines)) {
                throughput(warm, worker, new RequestMix(options.seed() + 2, options.users(), "w"),
                        options.warmupRequests(), Math.min(options.warmupRequests(), options.naiveTransfers()),
                        new PrintStream(OutputStream.nullOutputStream()));
            }
            progress.printf("    done in %.0f s%n", (System.nanoTime() - started) / 1e9);
        }
        try (WorkerUnderTest worker = new WorkerUnderTest(world, engines)) {
            RequestMix backlog = new RequestMix(options.seed(), options.users(), "b");
            Throughput throughput = throughput(world, worker, backlog, options.requests(), options.naiveTransfers(),
                    progress);
            progress.println("    what the worker answered, by kind of request: read from its results, not timed");
            MixOutcomes outcomes = MixOutcomes.read(world, backlog, options.requests());

            boolean halfRate = options.latencyRate() == 0;
            double rate = halfRate ? throughput.worker().requestsPerSecond() / 2 : options.latencyRate();
            progress.printf("5/7 latency ceiling: the passthrough writing three records per request, at %,.0f"
                    + " requests/s for %d s, after a warm-up at that rate until the JIT settles (at most %d s)%n", rate,
                    options.latencySeconds(), options.latencyWarmupSeconds());
            LatencyProbe.Figures passthroughLatency;
            try (PacedPassthrough copying = PacedPassthrough.start(world, world.commitPolicy())) {
                passthroughLatency = LatencyProbe.run(world, copying.route(), latencyMix(options)::fresh,
                        latencyPace(options, rate, halfRate), new CpuSplit.Meters(copying.cpu(), world.brokerCpu()));
            }
            progress.println("    " + latencySummary(passthroughLatency));

            progress.printf("6/7 worker latency at %,.0f requests/s for %d s, after a warm-up at that rate until the"
                    + " JIT settles (at most %d s)%n", rate, options.latencySeconds(), options.latencyWarmupSeconds());
            LatencyProbe.Figures latency = LatencyProbe.run(world, world.workerRoute(), latencyMix(options)::fresh,
                    latencyPace(options, rate, halfRate), new CpuSplit.Meters(worker.cpu(), world.brokerCpu()));
            progress.println("    " + latencySummary(latency));

            progress.println("7/7 restore: shards deleted, worker restarted");
            RestoreProbe.Figures restore = RestoreProbe.run(world, worker);
            progress.printf("    %,.0f changelog records/s%n", restore.recordsPerSecond());

            return new BenchReport(context(world, options, loadAtStart), throughput.passthrough(),
                    throughput.threeOut(), throughput.naive(), throughput.naiveReused(), throughput.ledger(),
                    throughput.worker(), outcomes, passthroughLatency, latency, restore);
        }
    }

    /**
     * Phases 1 to 4: the load, the throughput ceilings, the worker's ledger alone and the worker's
     * throughput through the backlog, over the requests of {@code mix} (a mix of the same seed again
     * for the naive loops and the ledger alone).
     */
    private static Throughput throughput(BenchWorld world, WorkerUnderTest worker, RequestMix mix, int requests,
            int naiveTransfers, PrintStream progress) throws Exception {
        progress.printf("1/7 preloading %,d requests into %s and %s%n", requests, world.topics().earnRequests(),
                world.topics().spendRequests());
        RequestProducer.preload(world, mix, requests);

        progress.println("2/7 ceiling (a): exactly-once passthrough of the same requests");
        PassthroughCeiling.Figures passthrough = PassthroughCeiling.run(world, requests, 1);
        progress.printf("    %,.0f records/s%n", passthrough.recordsPerSecond());
        progress.println("    and the same, writing three records per request, as the worker does");
        PassthroughCeiling.Figures threeOut = PassthroughCeiling.run(world, requests, 3);
        progress.printf("    %,.0f requests/s%n", threeOut.recordsPerSecond());

        progress.printf("3/7 ceiling (b): naive SQLite loop, %,d transfers%n", naiveTransfers);
        NaiveSqliteCeiling.Figures naive = NaiveSqliteCeiling.run(world.directory().resolve("naive.db"), mix.again(),
                naiveTransfers, NaiveSqliteCeiling.Statements.PREPARED_PER_USE);
        progress.printf("    %,.0f transfers/s%n", naive.transfersPerSecond());
        progress.println("    and the same loop with its statements prepared once");
        NaiveSqliteCeiling.Figures naiveReused = NaiveSqliteCeiling.run(world.directory().resolve("naive-reused.db"),
                mix.again(), naiveTransfers, NaiveSqliteCeiling.Statements.REUSED);
        progress.printf("    %,.0f transfers/s%n", naiveReused.transfersPerSecond());
        progress.printf("    and the worker's ledger alone, no Kafka: %,d requests on one thread%n", requests);
        Path ledgerDirectory = Files.createDirectories(world.directory().resolve("ledger-alone"));
        LedgerAlone.Figures ledger = LedgerAlone.run(ledgerDirectory, mix.again(), requests, world.partitions(),
                RulesLoader.load(world.engineConfig().rulesFile()));
        progress.printf("    %,.0f requests/s%n", ledger.requestsPerSecond());

        progress.println("4/7 worker throughput through the backlog");
        WorkerThroughput.Figures throughput = WorkerThroughput.run(world, worker, requests);
        progress.printf("    %,.0f requests/s%n", throughput.requestsPerSecond());
        return new Throughput(passthrough, threeOut, naive, naiveReused, ledger, throughput);
    }

    /** The same requests for the ceiling and the worker: a mix of its own, apart from the backlog's. */
    private static RequestMix latencyMix(BenchOptions options) {
        return new RequestMix(options.seed() + 1, options.users(), "lat");
    }

    /** The passthrough's and the worker's latency phases send the same request ids, each to its own topics. */
    private static LatencyProbe.Pace latencyPace(BenchOptions options, double rate, boolean halfRate) {
        return new LatencyProbe.Pace("lat-", rate, halfRate, options.latencyWarmupSeconds(), options.latencySeconds());
    }

    private static String latencySummary(LatencyProbe.Figures latency) {
        return String.format(Locale.ROOT, "warm-up %d s; p50 %.1f ms, p99 %.1f ms, max %.1f ms",
                latency.warmupSeconds(), latency.p50Millis(), latency.p99Millis(), latency.maxMillis());
    }

    private static BenchReport.Context context(BenchWorld world, BenchOptions options, double loadAtStart) {
        Object maxPoll = ClientProperties.consumer(world.bootstrapServers(), world.name("worker"),
                world.engineConfig().consumerProperties()).get(ConsumerConfig.MAX_POLL_RECORDS_CONFIG);
        return new BenchReport.Context(Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                world.brokerKind(), world.partitions(), options.requests(), options.users(),
                Integer.parseInt(String.valueOf(maxPoll)), options.warmupRequests(), loadAtStart,
                ProcessCpu.loadAverage());
    }
}
