package dev.economyengine.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;
import java.util.stream.Stream;

/**
 * CPU time used by this whole process (the in-process broker included) and the machine's load: on a
 * shared machine a phase can be slow because it was starved, and CPU per record tells the two apart.
 * Also the JIT compilers' share: one short-lived JVM compiles the broker's, the clients' and the
 * worker's code during the very phases it measures, which a long-running worker does not.
 */
final class ProcessCpu {
    private static final OperatingSystemMXBean OS = ManagementFactory.getOperatingSystemMXBean();
    private static final Path THREADS = Path.of("/proc/self/task");
    /** USER_HZ, the unit of a thread's times in /proc: 100 on the Linux architectures the JDK ships for. */
    private static final double TICKS_PER_SECOND = 100;

    private ProcessCpu() {}

    /** The process's CPU seconds and the JIT compilers' seconds so far. */
    record Reading(double cpuSeconds, double jitSeconds) {
        Used until(Reading later) {
            return new Used(later.cpuSeconds - cpuSeconds, later.jitSeconds - jitSeconds);
        }
    }

    /**
     * What a phase used: CPU seconds, and the JIT compiler threads' CPU seconds within them (0 where
     * /proc cannot tell; a compiler thread that ends within the phase takes its time with it, which
     * the JVM does only with more compiler threads than this 2-core machine gets).
     */
    record Used(double cpuSeconds, double jitSeconds) {
        /** The JIT compilers' share of the CPU, 0 where the JVM cannot tell. */
        double jitShare() {
            return cpuSeconds > 0 ? Math.min(1, jitSeconds / cpuSeconds) : 0;
        }
    }

    static Reading read() {
        return new Reading(seconds(), compilerThreadSeconds());
    }

    /**
     * The JIT compiler threads' CPU time so far, from /proc (the JVM hides these threads from its own
     * thread management, and its total compilation time is wall-clock, which a busy machine inflates).
     */
    private static double compilerThreadSeconds() {
        if (!Files.isDirectory(THREADS)) {
            return 0;
        }
        long ticks = 0;
        try (Stream<Path> threads = Files.list(THREADS)) {
            for (Path thread : threads.toList()) {
                ticks += compilerTicks(thread);
            }
        } catch (IOException e) {
            return 0;
        }
        return ticks / TICKS_PER_SECOND;
    }

    /** User and system ticks of a compiler thread ("C1 CompilerThre", "C2 CompilerThre"), else 0. */
    private static long compilerTicks(Path thread) {
        try {
            String stat = Files.readString(thread.resolve("stat"));
            int nameStart = stat.indexOf('(');
            int nameEnd = stat.lastIndexOf(')');
            if (nameStart < 0 || nameEnd < 0 || !stat.substring(nameStart + 1, nameEnd).contains("CompilerThre")) {
                return 0;
            }
            return ticks(stat);
        } catch (IOException | RuntimeException e) {
            // The thread ended while we looked.
            return 0;
        }
    }

    /** User and system ticks of a /proc stat line, of a process or of a thread. */
    private static long ticks(String stat) {
        // After the name, which may hold spaces and parentheses: state, ppid, ... ; utime and stime are the
        // 12th and 13th fields from there.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /**
     * The CPU seconds another process has used so far, its threads alive and ended, from /proc; empty
     * where /proc cannot tell (not Linux, or the process has ended).
     */
    static OptionalDouble processSeconds(long pid) {
        try {
            return OptionalDouble.of(ticks(Files.readString(Path.of("/proc", Long.toString(pid), "stat")))
                    / TICKS_PER_SECOND);
        } catch (IOException | RuntimeException e) {
            return OptionalDouble.empty();
        }
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
