package dev.economyengine.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
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
        double ratePerSecond = pace.ratePerSecond();
        int perSecond = (int) Math.max(1, Math.round(ratePerSecond));
        int measured = (int) Math.max(1, Math.round(ratePerSecond * pace.seconds()));
        int capacity = perSecond * pace.maxWarmupSeconds() + measured;
        long[] latencies = new long[capacity];
        WarmUp warmUp = new WarmUp(pace.maxWarmupSeconds());
        int warmup = -1;
        int count = capacity;
        CpuSplit.Mark measuredStart = null;
        AtomicInteger pending = new AtomicInteger();
        AtomicReference<Throwable> firstError = new AtomicReference<>();
        CountDownLatch sentAll = new CountDownLatch(1);
        CountDownLatch answeredAll = new CountDownLatch(1);
        long interval = Math.round(1e9 / ratePerSecond);
        long started = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long wait = started + i * interval - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            if (warmup < 0 && i % perSecond == 0) {
                ProcessCpu.Reading now = ProcessCpu.read();
                if (warmUp.overAt(i / perSecond, now)) {
                    warmup = i;
                    count = warmup + measured;
                    measuredStart = meters.mark(now);
                }
            }
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
        double sendSeconds = Math.max(1e-9, (System.nanoTime() - started) / 1e9);
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
        CpuSplit cpu = measuredStart.untilNow();
        long[] steady = Arrays.copyOfRange(latencies, warmup, count);
        Arrays.sort(steady);
        return new LatencyProbe.Figures(ratePerSecond, false, warmup / perSecond, count / sendSeconds, measured,
                LatencyProbe.millis(LatencyProbe.percentile(steady, 0.50)),
                LatencyProbe.millis(LatencyProbe.percentile(steady, 0.99)),
                LatencyProbe.millis(steady[measured - 1]), cpu);
    }
}
