package dev.economyengine.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * CPU time used by this whole process (the in-process broker included) and the machine's load: on a
 * shared machine a phase can be slow because it was starved, and CPU per record tells the two apart.
 */
final class ProcessCpu {
    private static final OperatingSystemMXBean OS = ManagementFactory.getOperatingSystemMXBean();

    private ProcessCpu() {}

    /** CPU seconds used by the process so far, or 0 where the JVM cannot tell. */
    static double seconds() {
        return OS instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() / 1e9 : 0;
    }

    /** The machine's one-minute load average, or -1 where the JVM cannot tell. */
    static double loadAverage() {
        return OS.getSystemLoadAverage();
    }
}
