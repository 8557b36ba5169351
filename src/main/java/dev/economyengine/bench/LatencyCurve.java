package dev.economyengine.bench;

import dev.economyengine.messaging.ClientProperties;
import dev.economyengine.messaging.CommitPolicy;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * {@code bench --latency-curve}: latency and CPU per request at a rising series of paced rates, the
 * worker's beside the exactly-once passthrough's writing three records per request (Kafka's part of
 * the worker's work, committing by the same policy), so that a reader sees at each load what the ledger
 * adds to Kafka's own latency and cost. First the worker goes through a backlog twice: once to warm up,
 * once measured, as the reference for the CPU per request at full speed. At each rate, each measurement
 * warms up at that rate until the JIT compilers have settled ({@link WarmUp}).
 */
final class LatencyCurve {
    private LatencyCurve() {}

    static CurveReport run(BenchWorld world, BenchOptions options, PrintStream progress, RunningEngine.Starter engines)
            throws Exception {
        double loadAtStart = ProcessCpu.loadAverage();
        CommitPolicy policy = world.commitPolicy();
        List<Integer> rates = options.curveRates();
        int steps = rates.size() + 1;
        try (WorkerUnderTest worker = new WorkerUnderTest(world, engines)) {
            Optional<WorkerThroughput.Figures> backlog = backlog(world, worker, engines, options, steps, progress);
            List<CurveReport.Point> points = new ArrayList<>();
            for (int i = 0; i < rates.size(); i++) {
                int rate = rates.get(i);
                progress.printf("%d/%d %,d requests/s, %d s each, after a warm-up at that rate until the JIT settles"
                        + " (at most %d s)%n", i + 2, steps, rate, options.latencySeconds(),
                        options.latencyWarmupSeconds());
                LatencyProbe.Figures passthrough;
                try (PacedPassthrough copying = PacedPassthrough.start(world, policy)) {
                    passthrough = LatencyProbe.run(world, copying.route(), mix(options)::fresh,
                            pace("c" + i + "p-", rate, options), new CpuSplit.Meters(copying.cpu(), world.brokerCpu()));
                }
                progress.println("    passthrough: " + CurveReport.summary(passthrough));
                LatencyProbe.Figures latency = LatencyProbe.run(world, world.workerRoute(), mix(options)::fresh,
                        pace("c" + i + "w-", rate, options), new CpuSplit.Meters(worker.cpu(), world.brokerCpu()));
                progress.println("    worker:      " + CurveReport.summary(latency));
                points.add(new CurveReport.Point(rate, latency, passthrough));
            }
            return new CurveReport(context(world, options, loadAtStart), policy, backlog, points);
        }
    }

    /**
     * Step 1: a worker through a backlog of its own, on topics of their own, unmeasured, so that the code
     * is compiled; then the worker under test through a backlog, measured; it is running after it.
     * Without backlog requests, only starts the worker.
     */
    private static Optional<WorkerThroughput.Figures> backlog(BenchWorld world, WorkerUnderTest worker,
            RunningEngine.Starter engines, BenchOptions options, int steps, PrintStream progress)
            throws InterruptedException {
        int requests = options.warmupRequests();
        if (requests == 0) {
            progress.printf("1/%d no backlog (--warmup-requests 0): the worker starts%n", steps);
            worker.start();
            return Optional.empty();
        }
        progress.printf("1/%d warm-up: a worker through a backlog of %,d requests on topics of their own, not"
                + " measured; then the worker under test through a backlog as large, measured%n", steps, requests);
        try (BenchWorld warm = world.sibling(); WorkerUnderTest warmWorker = new WorkerUnderTest(warm, engines)) {
            RequestProducer.preload(warm, new RequestMix(options.seed() + 2, options.users(), "w"), requests);
            WorkerThroughput.run(warm, warmWorker, requests);
        }
        RequestProducer.preload(world, new RequestMix(options.seed(), options.users(), "b"), requests);
        WorkerThroughput.Figures measured = WorkerThroughput.run(world, worker, requests);
        progress.printf("    %,.0f requests/s%n", measured.requestsPerSecond());
        return Optional.of(measured);
    }

    /** The same requests at every rate, for the worker and the passthrough: a mix of their own. */
    private static RequestMix mix(BenchOptions options) {
        return new RequestMix(options.seed() + 1, options.users(), "lat");
    }

    private static LatencyProbe.Pace pace(String idPrefix, int rate, BenchOptions options) {
        return new LatencyProbe.Pace(idPrefix, rate, false, options.latencyWarmupSeconds(), options.latencySeconds());
    }

    private static CurveReport.Context context(BenchWorld world, BenchOptions options, double loadAtStart) {
        Object maxPoll = ClientProperties.consumer(world.bootstrapServers(), world.name("worker"),
                world.engineConfig().consumerProperties()).get(ConsumerConfig.MAX_POLL_RECORDS_CONFIG);
        return new CurveReport.Context(Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                world.brokerKind(), world.partitions(), options.users(), Integer.parseInt(String.valueOf(maxPoll)),
                options.warmupRequests(), options.latencySeconds(), options.latencyWarmupSeconds(), loadAtStart,
                ProcessCpu.loadAverage());
    }
}
