package dev.economyengine.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The CPU time of the threads of one part of the benchmark's own process: the worker under test, a
 * passthrough, the in-process broker. The part is started on a thread of a {@link ThreadGroup} of its
 * own, and every thread it starts, and those start, joins that group: its poll loops, the network
 * threads of its Kafka clients, its shard writers. Their CPU comes from the JVM, thread by thread.
 *
 * <p>Threads start and end while a phase is measured. A thread that starts counts from zero. A
 * thread's CPU time can no longer be read once it has ended, so the meter keeps the last figure it
 * read of every thread it has seen and samples the group every {@value #SAMPLE_MILLIS} ms: an ended
 * thread keeps what it had used, and only its last moments, since the last sample, are lost.
 */
final class ThreadGroupCpu implements CpuMeter, AutoCloseable {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final long SAMPLE_MILLIS = 200;
    private static final ScheduledExecutorService SAMPLER = Executors.newSingleThreadScheduledExecutor(task -> {
        // In a group of its own under the root, never inside a measured group.
        Thread thread = new Thread(new ThreadGroup(rootGroup(), "bench-cpu"), task, "bench-cpu-sampler");
        thread.setDaemon(true);
        return thread;
    });

    private final ThreadGroup group;
    /** The last CPU nanoseconds read of every thread seen in the group, ended ones included. */
    private final Map<Long, Long> lastNanos = new HashMap<>();
    /** Empty where the JVM cannot tell a thread's CPU time: then there is nothing to sample. */
    private final Optional<ScheduledFuture<?>> sampling;

    ThreadGroupCpu(String name) {
        this.group = new ThreadGroup(name);
        this.sampling = THREADS.isThreadCpuTimeSupported()
                ? Optional.of(SAMPLER.scheduleAtFixedRate(this::sample, SAMPLE_MILLIS, SAMPLE_MILLIS, TimeUnit.MILLISECONDS))
                : Optional.empty();
    }

    /** A thread in the group: what it starts is in the group too. */
    Thread newThread(Runnable task, String name) {
        return new Thread(group, task, name);
    }

    /** Runs {@code task} on a thread of the group, so that the threads it starts are the group's, and returns its result. */
    <T> T callIn(String threadName, Callable<T> task) {
        FutureTask<T> call = new FutureTask<>(task);
        newThread(call, threadName).start();
        try {
            return call.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + threadName, e);
        }
    }

    @Override
    public OptionalDouble seconds() {
        if (!THREADS.isThreadCpuTimeSupported()) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(sample() / 1e9);
    }

    /** Reads every live thread of the group; returns the CPU nanoseconds of every thread ever seen. */
    private synchronized long sample() {
        Thread[] threads = new Thread[group.activeCount() + 16];
        int count = group.enumerate(threads, true);
        for (int i = 0; i < count; i++) {
            long nanos = THREADS.getThreadCpuTime(threads[i].getId());
            // -1: the thread ended between the enumeration and the reading; its last sample stands.
            if (nanos >= 0) {
                lastNanos.put(threads[i].getId(), nanos);
            }
        }
        long total = 0;
        for (long nanos : lastNanos.values()) {
            total += nanos;
        }
        return total;
    }

    /** Stops sampling; the group's threads are their owner's to stop. */
    @Override
    public void close() {
        sampling.ifPresent(task -> task.cancel(false));
    }

    private static ThreadGroup rootGroup() {
        ThreadGroup group = Thread.currentThread().getThreadGroup();
        while (group.getParent() != null) {
            group = group.getParent();
        }
        return group;
    }
}
