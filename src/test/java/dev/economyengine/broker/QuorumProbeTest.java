package dev.economyengine.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.economyengine.testing.TestKafka;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class QuorumProbeTest {
    private static final Duration INTERVAL = Duration.ofMillis(200);
    private static final Duration STALE_AFTER = Duration.ofSeconds(1);

    @Test
    void brokerThatAnswers_staysHealthy_longerThanTheSilenceItForgives() {
        try (QuorumProbe probe = new QuorumProbe(TestKafka.bootstrapServers(), INTERVAL, STALE_AFTER)) {
            probe.start();

            await().during(STALE_AFTER.multipliedBy(3)).atMost(STALE_AFTER.multipliedBy(6))
                    .until(probe::problem, Optional::isEmpty);
        }
    }

    @Test
    void brokerThatDoesNotAnswer_isUnhealthyOnceItsSilenceOutlastsTheGrace_namingWhy() throws IOException {
        int nothingListens;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            nothingListens = socket.getLocalPort();
        }
        try (QuorumProbe probe = new QuorumProbe("127.0.0.1:" + nothingListens, INTERVAL, STALE_AFTER)) {
            probe.start();
            assertThat(probe.problem()).as("healthy until the grace has passed").isEmpty();

            Optional<String> problem = await().atMost(Duration.ofSeconds(30)).until(probe::problem, Optional::isPresent);

            assertThat(problem.get()).startsWith("embedded Kafka broker has not answered for ");
        }
    }
}
