package dev.economyengine.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.economyengine.messaging.Worker;
import dev.economyengine.testing.CommandProcess;
import dev.economyengine.testing.EconomyTestEnvironment;
import dev.economyengine.testing.StandaloneBroker;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Readiness does not lie about the group: a worker cut off from it for a session timeout says so. */
class GroupHealthReadinessTest {
    @TempDir
    Path workDir;

    @Test
    void workerWhoseHeartbeatsStopReachingTheGroup_isNotReady_namingTheGroup() {
        StandaloneBroker.Started broker = StandaloneBroker.start(workDir.resolve("broker"));
        try (CommandProcess brokerProcess = broker.process()) {
            EconomyTestEnvironment environment = new EconomyTestEnvironment(workDir, 1, broker.bootstrapServers())
                    .with("ECONOMY_SHUTDOWN_TIMEOUT_MS", "3000");
            EconomyEngine engine = environment.startEngine();
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> engine.readiness().ready());

                // Frozen, the broker neither answers nor refuses: the heartbeats just stop arriving.
                brokerProcess.freeze();

                await().atMost(Duration.ofSeconds(60)).until(() -> !engine.readiness().ready());
                Worker.Readiness readiness = engine.readiness();
                assertThat(readiness.reason()).contains("no heartbeat has reached the consumer group",
                        "session timeout 6 s");
            } finally {
                brokerProcess.kill();
                engine.close();
            }
        }
    }
}
