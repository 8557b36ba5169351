package dev.economyengine.app;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes an engine's parts in order, on a thread of its own, while its callers wait no longer than one
 * deadline for the whole: a part that hangs (a Kafka client waiting for a broker that is gone) holds up
 * neither them nor, in {@code run}, the process, which {@code Main} then halts. The first call starts the
 * sequence and fixes the deadline; later calls wait for the same sequence until the same deadline.
 */
final class ShutdownSequence {
    private static final Logger log = LoggerFactory.getLogger(ShutdownSequence.class);

    /** One part to close: its name, what in it to report while it still runs, and how to close it. */
    record Step(String name, Supplier<List<String>> stillRunning, Runnable close) {
        static Step named(String name, Runnable close) {
            return new Step(name, () -> List.of(name), close);
        }

        /** A part that holds nothing a halt would lose, left out of the report. */
        static Step unreported(String name, Runnable close) {
            return new Step(name, List::of, close);
        }
    }

    private final List<Step> steps;
    private final Duration timeout;
    private final CountDownLatch finished = new CountDownLatch(1);
    /** The step under way, read by a caller whose deadline passed; steps.size() once all are done. */
    private volatile int current;
    private long deadlineNanos;
    private boolean started;

    ShutdownSequence(List<Step> steps, Duration timeout) {
        this.steps = List.copyOf(steps);
        this.timeout = timeout;
    }

    /** Starts the sequence if it is not under way yet, and waits for it until the deadline. */
    ShutdownReport closeWithinDeadline() {
        long deadline = begin();
        try {
            finished.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<String> stillRunning = new ArrayList<>();
        for (int step = current; step < steps.size(); step++) {
            stillRunning.addAll(steps.get(step).stillRunning().get());
        }
        return new ShutdownReport(timeout, stillRunning);
    }

    private synchronized long begin() {
        if (!started) {
            started = true;
            deadlineNanos = System.nanoTime() + timeout.toNanos();
            Thread thread = new Thread(this::closeEach, "economy-shutdown-steps");
            // Must not keep the JVM alive: after the deadline the caller has given up on it.
            thread.setDaemon(true);
            thread.start();
        }
        return deadlineNanos;
    }

    private void closeEach() {
        for (Step step : steps) {
            try {
                step.close().run();
            } catch (RuntimeException e) {
                log.warn("closing the {}: {}", step.name(), e.toString());
            }
            current++;
        }
        finished.countDown();
    }
}
