package dev.economyengine.bench;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/**
 * Round trips at a steady rate: a request is sent on a fixed schedule through a path that answers it
 * with a future (the Java client, or an HTTP write), and its latency is from just before the send to the
 * future's completion. Paced and warmed up as {@link LatencyProbe} is, so that the figures of the paths
 * of one run compare with its plain Kafka path.
 */
final class PacedRoundTrips {
    private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(2);

    private PacedRoundTrips() {}

    /**
     * @param send sends request {@code i} and returns its answer; a future that fails counts as an error
     * @param meters of the worker and of the broker
     */
    static LatencyProbe.Figures run(LatencyProbe.Pace pace, IntFunction<CompletableFuture<?>> send,
            CpuSplit.Meters meters) throws InterruptedException {
        PacedSchedule schedule = new PacedSchedule(pace, meters);
        long[] latencies = new long[schedule.capacity()];
        AtomicInteger pending = new AtomicInteger();
        AtomicReference<Throwable> firstError = new AtomicReference<>();
        CountDownLatch sentAll = new CountDownLatch(1);
        CountDownLatch answeredAll = new CountDownLatch(1);
        for (int i = 0; schedule.awaitTurn(i); i++) {
            int index = i;
            long sentAt = System.nanoTime();
            pending.incrementAndGet();
            send.apply(i).whenComplete((answer, error) -> {
                latencies[index] = System.nanoTime() - sentAt;
                if (error != null) {
                    firstError.compareAndSet(null, error);
                }
                if (pending.decrementAndGet() == 0 && sentAll.getCount() == 0) {
                    answeredAll.countDown();
                }
            });
        }
        sentAll.countDown();
        if (pending.get() == 0) {
            answeredAll.countDown();
        }
        if (!answeredAll.await(DRAIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            throw new IllegalStateException(pending.get() + " requests unanswered after " + DRAIN_TIMEOUT);
        }
        if (firstError.get() != null) {
            throw new IllegalStateException("a request was not answered", firstError.get());
        }
        return schedule.figures(latencies);
    }
}
