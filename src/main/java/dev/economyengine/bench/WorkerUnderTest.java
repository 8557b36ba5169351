package dev.economyengine.bench;

import dev.economyengine.messaging.Worker;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * The worker as the jar runs it (exactly once; started by the composition root's
 * {@link RunningEngine.Starter}), on the run's broker, topics and data directory, with the operator's
 * other settings. It starts in a thread group of its own, so that its threads, and only they, are its
 * CPU ({@link ThreadGroupCpu}): its lanes, its shard writers, the threads of its own Kafka clients.
 */
final class WorkerUnderTest implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofMinutes(10);
    private static final long READINESS_POLL_NANOS = Duration.ofMillis(1).toNanos();

    private final BenchWorld world;
    private final RunningEngine.Starter starter;
    private final ThreadGroupCpu threads = new ThreadGroupCpu("bench-worker");
    private RunningEngine engine;

    WorkerUnderTest(BenchWorld world, RunningEngine.Starter starter) {
        this.world = world;
        this.starter = starter;
    }

    /** The CPU of the worker's threads, over every start. */
    CpuMeter cpu() {
        return threads;
    }

    /**
     * When the worker was started, began restoring its shards (0 if that was too quick to see) and
     * became ready: its partitions assigned and its shards restored, about to poll its first requests.
     *
     * @param firstLaneReadyNanos when the first lane (of {@code worker.threads}) became ready: it
     *     starts on the backlog at once, while the group makes room for the other lanes
     */
    record Startup(long startedNanos, long restoringNanos, long firstLaneReadyNanos, long readyNanos) {
        /** From the start of the restore (or of the worker, if the restore was not seen) to ready. */
        double restoreSeconds() {
            return (readyNanos - (restoringNanos > 0 ? restoringNanos : startedNanos)) / 1e9;
        }
    }

    Startup start() {
        if (engine != null) {
            throw new IllegalStateException("the worker is running already");
        }
        long started = System.nanoTime();
        engine = threads.callIn("bench-worker-start", () -> starter.start(world.engineConfig()));
        long restoring = 0;
        long firstLaneReady = 0;
        long deadline = started + START_TIMEOUT.toNanos();
        while (true) {
            Worker.Readiness readiness = engine.readiness();
            long now = System.nanoTime();
            if (firstLaneReady == 0 && engine.laneReadiness().stream().anyMatch(Worker.Readiness::ready)) {
                firstLaneReady = now;
            }
            if (readiness.ready()) {
                return new Startup(started, restoring, firstLaneReady == 0 ? now : firstLaneReady, now);
            }
            if (restoring == 0 && readiness.reason().startsWith("restoring")) {
                restoring = now;
            }
            if (!engine.isRunning() || now > deadline) {
                throw new IllegalStateException("the worker did not become ready: " + readiness.reason());
            }
            LockSupport.parkNanos(READINESS_POLL_NANOS);
        }
    }

    /** Where the running worker's HTTP API listens. */
    String httpUrl() {
        if (engine == null) {
            throw new IllegalStateException("the worker is not running");
        }
        return engine.httpUrl();
    }

    /** Stops the worker: it finishes and commits the batch in hand. It may be started again. */
    void stop() {
        if (engine != null) {
            engine.close();
            engine = null;
        }
    }

    /** Stops the worker, and its CPU meter. */
    @Override
    public void close() {
        try {
            stop();
        } finally {
            threads.close();
        }
    }
}
