package dev.economyengine.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * CPU time used by this whole process (the in-process broker included) and the machine's load: on a
 * shared machine a phase can be slow because it was starved, and CPU per record tells the two apart.
 * Also the JIT compilers' share: one short-lived JVM compiles the broker's, the clients' and the
 * worker's code during the very phases it measures, which a long-running worker does not.
 */
final class ProcessCpu {
    private static final OperatingSystemMXBean OS = ManagementFactory.getOperatingSystemMXBean();
    private static final CompilationMXBean JIT = ManagementFactory.getCompilationMXBean();

    private ProcessCpu() {}

    /** The process's CPU seconds and the JIT compilers' seconds so far. */
    record Reading(double cpuSeconds, double jitSeconds) {
        Used until(Reading later) {
            return new Used(later.cpuSeconds - cpuSeconds, later.jitSeconds - jitSeconds);
        }
    }

    /** What a phase used: CPU seconds, and the JIT compilers' time within them. */
    record Used(double cpuSeconds, double jitSeconds) {
        /** The JIT compilers' share of the CPU, 0 where the JVM cannot tell. */
        double jitShare() {
            return cpuSeconds > 0 ? Math.min(1, jitSeconds / cpuSeconds) : 0;
        }
    }

    static Reading read() {
        // The compilers' accumulated time, summed over their threads, which are on CPU while compiling.
        double jit = JIT != null && JIT.isCompilationTimeMonitoringSupported() ? JIT.getTotalCompilationTime() / 1e3 : 0;
        return new Reading(seconds(), jit);
    }

    /** CPU seconds used by the process so far, or 0 where the JVM cannot tell. */
    static double seconds() {
        return OS instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() / 1e9 : 0;
    }

    /** The machine's one-minute load average, or -1 where the JVM cannot tell. */
    static double loadAverage() {
        return OS.getSystemLoadAverage();
    }
}
