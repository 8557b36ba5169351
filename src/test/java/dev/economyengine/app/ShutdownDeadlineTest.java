package dev.economyengine.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.economyengine.testing.CommandProcess;
import dev.economyengine.testing.EconomyTestEnvironment;
import dev.economyengine.testing.StandaloneBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM ends the worker within shutdown.timeout.ms whatever state Kafka is in. */
class ShutdownDeadlineTest {
    private static final Duration DEADLINE = Duration.ofSeconds(3);
    /** A JVM's own exit after the halt, and the test's view of it, on a busy machine. */
    private static final Duration SLACK = Duration.ofSeconds(4);

    @TempDir
    Path workDir;

    @AfterEach
    void keepOutputs(TestInfo test) {
        CommandProcess.keepOutputs(workDir, "ShutdownDeadlineTest");
    }

    /**
     * The broker is frozen (SIGSTOP) rather than killed: a killed broker refuses connections, and the
     * clients give up at once; a frozen one neither answers nor refuses, and each client waits for its own
     * timeouts (30 s for a consumer's close), as behind a broken network.
     */
    @Test
    void sigterm_whileTheBrokerDoesNotAnswer_endsWithinTheDeadline_exitOne_namingWhatWasStillRunning() {
        StandaloneBroker.Started broker = StandaloneBroker.start(workDir.resolve("broker"));
        try (CommandProcess brokerProcess = broker.process()) {
            EconomyTestEnvironment environment = new EconomyTestEnvironment(workDir, 2, broker.bootstrapServers())
                    .with("ECONOMY_SHUTDOWN_TIMEOUT_MS", Long.toString(DEADLINE.toMillis()));
            try (CommandProcess worker = CommandProcess.start(List.of("run"), environment.env(), workDir, "worker")) {
                worker.awaitReady();
                brokerProcess.freeze();

                long stopAsked = System.nanoTime();
                worker.terminate();
                OptionalInt exit = worker.awaitExit(DEADLINE.plus(SLACK));
                Duration took = Duration.ofNanos(System.nanoTime() - stopAsked);

                assertThat(exit).as("ended within the deadline; stderr: %s", worker.stderr()).isPresent();
                assertThat(exit.getAsInt()).as("exit code of a stop past its deadline").isEqualTo(1);
                assertThat(took).isGreaterThanOrEqualTo(DEADLINE);
                assertThat(worker.stderr().lines()).last().asString()
                        .startsWith("shutdown deadline of 3 s passed; still running: worker lane 0 (")
                        .endsWith("), HTTP server");
            }
        }
    }
}
