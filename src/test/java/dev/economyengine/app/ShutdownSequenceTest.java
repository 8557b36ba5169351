package dev.economyengine.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ShutdownSequenceTest {
    /** Holds the hanging step until the test ends, as a Kafka client waiting for a broker that is gone. */
    private final CountDownLatch released = new CountDownLatch(1);
    private final List<String> closed = new CopyOnWriteArrayList<>();

    @AfterEach
    void releaseTheHangingStep() {
        released.countDown();
    }

    @Test
    void stepsThatFinish_areClosedInOrder_andTheReportIsComplete() {
        ShutdownSequence sequence = new ShutdownSequence(List.of(
                ShutdownSequence.Step.named("first", () -> closed.add("first")),
                ShutdownSequence.Step.unreported("second", () -> closed.add("second")),
                ShutdownSequence.Step.named("third", () -> closed.add("third"))), Duration.ofSeconds(30));

        ShutdownReport report = sequence.closeWithinDeadline();

        assertThat(report.complete()).isTrue();
        assertThat(closed).containsExactly("first", "second", "third");
    }

    @Test
    void stepThatHangs_endsTheWaitAtTheDeadline_namingItAndTheReportedStepsAfterIt() {
        ShutdownSequence sequence = new ShutdownSequence(List.of(
                ShutdownSequence.Step.named("worker", () -> closed.add("worker")),
                new ShutdownSequence.Step("lanes", () -> List.of("worker lane 0 (committing a batch)"), this::hang),
                ShutdownSequence.Step.named("HTTP server", () -> closed.add("HTTP server")),
                ShutdownSequence.Step.unreported("metrics", () -> closed.add("metrics")),
                ShutdownSequence.Step.named("embedded broker", () -> closed.add("embedded broker"))),
                Duration.ofMillis(300));
        long started = System.nanoTime();

        ShutdownReport report = sequence.closeWithinDeadline();

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(report.complete()).isFalse();
        assertThat(report.message()).isEqualTo("shutdown deadline of 300 ms passed; still running: worker lane 0"
                + " (committing a batch), HTTP server, embedded broker");
        assertThat(closed).containsExactly("worker");
    }

    @Test
    void secondCall_waitsForTheSameShutdown_untilTheSameDeadline() {
        ShutdownSequence sequence = new ShutdownSequence(List.of(ShutdownSequence.Step.named("hanging", this::hang)),
                Duration.ofMillis(300));
        assertThat(sequence.closeWithinDeadline().stillRunning()).containsExactly("hanging");
        long again = System.nanoTime();

        ShutdownReport second = sequence.closeWithinDeadline();

        assertThat(second.stillRunning()).containsExactly("hanging");
        assertThat(Duration.ofNanos(System.nanoTime() - again)).as("no second deadline").isLessThan(Duration.ofMillis(300));
        released.countDown();
        // Past the deadline a call waits no more, and reports the state of the moment.
        await().atMost(Duration.ofSeconds(10)).until(() -> sequence.closeWithinDeadline().complete());
    }

    private void hang() {
        try {
            released.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
