package dev.economyengine.bench;

import java.time.Duration;

/**
 * The worker's sustained rate through a backlog: every request is waiting in Kafka before the worker
 * starts; measured from the moment it is ready to poll its first request (its first lane, with
 * several) to the moment the last result is visible to a read_committed reader.
 */
final class WorkerThroughput {
    private static final Duration TIMEOUT = Duration.ofMinutes(30);

    private WorkerThroughput() {}

    /** @param cpu the process's, the worker's threads' and the broker's */
    record Figures(double requestsPerSecond, long requests, double seconds, long markers, CpuSplit cpu) {}

    static Figures run(BenchWorld world, WorkerUnderTest worker, int expected) throws InterruptedException {
        try (OutputWatcher results = new OutputWatcher(world, world.topics().results(), false, expected,
                OutputWatcher.Sink.NONE)) {
            // From before the start: with several lanes the first one may be through a small backlog
            // before the last is ready. The worker's start-up (empty shards, joining) costs little.
            CpuSplit.Mark before = new CpuSplit.Meters(worker.cpu(), world.brokerCpu()).mark();
            WorkerUnderTest.Startup startup = worker.start();
            long lastVisible = results.awaitAll(TIMEOUT);
            double seconds = (lastVisible - startup.firstLaneReadyNanos()) / 1e9;
            return new Figures(expected / seconds, expected, seconds, results.markers(),
                    before.untilNow());
        }
    }
}
