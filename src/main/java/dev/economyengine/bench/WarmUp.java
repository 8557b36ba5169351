package dev.economyengine.bench;

import java.util.ArrayDeque;

/**
 * Decides when the latency phase's warm-up is over: once the JIT compilers took less than a tenth of
 * the process's CPU over the last five seconds, or at the longest warm-up allowed. In one short-lived
 * JVM the compilers are still busy with the broker's and the clients' code long after the first
 * seconds (a third of the CPU at 2,000 requests/s, 40 s in), and latency measured then says more
 * about them than about the worker, which in production runs in a long-lived, compiled JVM.
 */
final class WarmUp {
    static final double SETTLED_JIT_SHARE = 0.10;
    static final int WINDOW_SECONDS = 5;

    private final int maxSeconds;
    private final ArrayDeque<ProcessCpu.Reading> window = new ArrayDeque<>();

    /** @param maxSeconds the longest warm-up; 0 for none */
    WarmUp(int maxSeconds) {
        if (maxSeconds < 0) {
            throw new IllegalArgumentException("the warm-up must not be negative, was " + maxSeconds);
        }
        this.maxSeconds = maxSeconds;
    }

    /**
     * Called at each whole second of the warm-up, from second 0 on, with the process's CPU reading
     * at that moment; returns true once the warm-up is over.
     */
    boolean overAt(int second, ProcessCpu.Reading reading) {
        if (second >= maxSeconds) {
            return true;
        }
        window.addLast(reading);
        if (window.size() <= WINDOW_SECONDS) {
            return false;
        }
        ProcessCpu.Reading windowStart = window.removeFirst();
        return windowStart.until(reading).jitShare() < SETTLED_JIT_SHARE;
    }
}
