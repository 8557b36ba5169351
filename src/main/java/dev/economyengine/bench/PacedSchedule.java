package dev.economyengine.bench;

import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

/**
 * The schedule of a paced measurement: request {@code i} is due {@code i / rate} seconds after the
 * start; the first ones are a warm-up, until the JIT compilers have settled ({@link WarmUp}), and the
 * measured ones follow. Shared by every paced path, so that their figures are taken alike.
 */
final class PacedSchedule {
    private final LatencyProbe.Pace pace;
    private final CpuSplit.Meters meters;
    private final WarmUp warmUp;
    private final int perSecond;
    private final int measured;
    private final long intervalNanos;
    private long startedNanos;
    private long endedNanos;
    private int warmupEnd = -1;
    private int end;
    private CpuSplit.Mark measuredStart;

    PacedSchedule(LatencyProbe.Pace pace, CpuSplit.Meters meters) {
        this.pace = pace;
        this.meters = meters;
        this.warmUp = new WarmUp(pace.maxWarmupSeconds());
        this.perSecond = (int) Math.max(1, Math.round(pace.ratePerSecond()));
        this.measured = (int) Math.max(1, Math.round(pace.ratePerSecond() * pace.seconds()));
        this.intervalNanos = Math.round(1e9 / pace.ratePerSecond());
        this.end = capacity();
    }

    /** The most requests a run can send: the longest warm-up's and the measured ones. */
    int capacity() {
        return perSecond * pace.maxWarmupSeconds() + measured;
    }

    /**
     * Waits until request {@code i} is due and says whether it is to be sent: false once the measured
     * requests have all been sent. At each whole second of the warm-up it asks whether the warm-up is
     * over; the measured requests start there.
     */
    boolean awaitTurn(int i) {
        if (i == 0) {
            startedNanos = System.nanoTime();
        }
        if (i >= end) {
            endedNanos = System.nanoTime();
            return false;
        }
        long wait = startedNanos + i * intervalNanos - System.nanoTime();
        if (wait > 0) {
            LockSupport.parkNanos(wait);
        }
        if (warmupEnd < 0 && i % perSecond == 0) {
            // One reading serves both: /proc is read thread by thread.
            ProcessCpu.Reading now = ProcessCpu.read();
            if (warmUp.overAt(i / perSecond, now)) {
                warmupEnd = i;
                end = warmupEnd + measured;
                measuredStart = meters.mark(now);
            }
        }
        return true;
    }

    /** Requests sent in all, the warm-up's included; known once {@link #awaitTurn} said no more. */
    int sent() {
        return end;
    }

    /**
     * The figures of the measured requests, from each request's latency in nanoseconds, indexed as sent;
     * call once every answer is in.
     */
    LatencyProbe.Figures figures(long[] latencies) {
        double sendSeconds = Math.max(1e-9, (endedNanos - startedNanos) / 1e9);
        CpuSplit cpu = measuredStart.untilNow();
        long[] steady = Arrays.copyOfRange(latencies, warmupEnd, end);
        Arrays.sort(steady);
        return new LatencyProbe.Figures(pace.ratePerSecond(), pace.halfOfWorkerRate(), warmupEnd / perSecond,
                end / sendSeconds, measured, millis(percentile(steady, 0.50)), millis(percentile(steady, 0.99)),
                millis(steady[measured - 1]), cpu);
    }

    /** Nearest-rank percentile of sorted values. */
    private static long percentile(long[] sorted, double fraction) {
        int rank = (int) Math.ceil(fraction * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }
}
