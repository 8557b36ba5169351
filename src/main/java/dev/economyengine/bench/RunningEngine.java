package dev.economyengine.bench;

import dev.economyengine.config.EconomyConfig;
import dev.economyengine.messaging.Worker;
import java.util.List;

/**
 * The worker as the jar runs it, seen by the benchmark. The composition root ({@code app}) knows how to
 * build one and hands the benchmark a {@link Starter}: the benchmark measures the application without
 * depending on the package that wires it.
 */
public interface RunningEngine extends AutoCloseable {

    /** Starts a worker from a configuration, as {@code economy-engine run} does. */
    @FunctionalInterface
    interface Starter {
        RunningEngine start(EconomyConfig config);
    }

    /** Ready when every lane is; otherwise the first lane's reason for not being ready. */
    Worker.Readiness readiness();

    /** Each lane's readiness, lane 0 first. */
    List<Worker.Readiness> laneReadiness();

    /** Where its HTTP API listens, such as {@code http://127.0.0.1:8080}. */
    String httpUrl();

    /** Whether every lane's poll loop is still running. */
    boolean isRunning();

    /** Stops the worker: it finishes and commits the batch in hand. */
    @Override
    void close();
}
