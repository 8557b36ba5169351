package dev.economyengine.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ThreadGroupCpuTest {
    private static final long BURN_NANOS = 50_000_000;

    @Test
    void threadThatEnds_keepsTheCpuItUsed_andThreadsItStartedCount() throws Exception {
        try (ThreadGroupCpu meter = new ThreadGroupCpu("test-group")) {
            double before = meter.seconds().orElseThrow();
            CountDownLatch burnt = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            AtomicReference<Thread> grandchild = new AtomicReference<>();
            // A thread of the group starts another, which is in the group too: it burns, then waits to end.
            Thread child = meter.newThread(() -> {
                Thread inner = new Thread(() -> {
                    burn();
                    burnt.countDown();
                    awaitQuietly(release);
                }, "test-grandchild");
                grandchild.set(inner);
                inner.start();
            }, "test-child");
            child.start();
            burnt.await();
            double whileAlive = meter.seconds().orElseThrow();
            release.countDown();
            child.join();
            grandchild.get().join();

            double afterItEnded = meter.seconds().orElseThrow();

            assertThat(whileAlive - before).as("the grandchild's CPU, counted").isGreaterThanOrEqualTo(BURN_NANOS / 1e9 * 0.9);
            assertThat(afterItEnded).as("an ended thread keeps what it used").isGreaterThanOrEqualTo(whileAlive);
        }
    }

    @Test
    void threadOutsideTheGroup_isNotCounted() throws Exception {
        try (ThreadGroupCpu meter = new ThreadGroupCpu("test-idle-group")) {
            double before = meter.seconds().orElseThrow();
            Thread outside = new Thread(ThreadGroupCpuTest::burn, "test-outside");
            outside.start();
            outside.join();

            assertThat(meter.seconds().orElseThrow() - before).isLessThan(BURN_NANOS / 1e9 / 2);
        }
    }

    @Test
    void callIn_runsOnAThreadOfTheGroup_andReturnsItsResult() {
        try (ThreadGroupCpu meter = new ThreadGroupCpu("test-call-group")) {
            String group = meter.callIn("test-call", () -> Thread.currentThread().getThreadGroup().getName());

            assertThat(group).isEqualTo("test-call-group");
        }
    }

    /** Spins until this thread has used BURN_NANOS of CPU. */
    private static void burn() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long start = threads.getCurrentThreadCpuTime();
        while (threads.getCurrentThreadCpuTime() - start < BURN_NANOS) {
            Thread.onSpinWait();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
