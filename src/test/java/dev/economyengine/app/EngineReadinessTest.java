package dev.economyengine.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.economyengine.config.ConfigLoader;
import dev.economyengine.messaging.Worker;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Readiness does not lie: an engine whose embedded broker is gone says so. */
class EngineReadinessTest {
    @TempDir
    Path dir;

    @Test
    void embeddedBrokerStoppedUnderTheEngine_makesItNotReady_namingTheBroker() throws Exception {
        Path config = Files.writeString(dir.resolve("economy.properties"), "");
        Map<String, String> env = Map.of("ECONOMY_CONFIG", config.toString(),
                "ECONOMY_DATA_DIR", dir.resolve("data").toString(),
                "ECONOMY_EMBEDDED_KAFKA_PORT", "0",
                "ECONOMY_HTTP_HOST", "127.0.0.1",
                "ECONOMY_HTTP_PORT", "0",
                "ECONOMY_TOPIC_PARTITIONS", "1",
                // Its lanes cannot leave the group once the broker is gone: close gives up on them soon.
                "ECONOMY_SHUTDOWN_TIMEOUT_MS", "3000");
        try (EconomyEngine engine = EconomyEngine.start(ConfigLoader.load(env))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> engine.readiness().ready());

            engine.embeddedBroker().orElseThrow().close();

            assertThat(engine.readiness()).isEqualTo(new Worker.Readiness(false, "embedded Kafka broker has stopped"));
            HttpResponse<String> ready = get(engine.httpUrl() + "/health/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("embedded Kafka broker has stopped");
        }
    }

    private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
