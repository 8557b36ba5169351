package dev.economyengine.testing;

import dev.economyengine.broker.EmbeddedKafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The real Kafka broker the integration tests share, started once per test JVM: Testcontainers'
 * Kafka module where a Docker engine runs, otherwise an in-process KRaft broker built from Kafka's own
 * artifacts. Tests isolate themselves with topic and group names of their own.
 */
public final class TestKafka {
    private static String bootstrapServers;

    private TestKafka() {}

    public static synchronized String bootstrapServers() {
        if (bootstrapServers == null) {
            bootstrapServers = dockerAvailable() ? startContainer() : startInProcess();
        }
        return bootstrapServers;
    }

    private static boolean dockerAvailable() {
        if ("false".equals(System.getenv("ECONOMY_TEST_DOCKER"))) {
            return false;
        }
        if (System.getenv("DOCKER_HOST") == null && !Files.exists(Path.of("/var/run/docker.sock"))) {
            // No engine to ask: skip Testcontainers' probe, which logs a page of errors when it fails.
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String startContainer() {
        KafkaContainer kafka = new KafkaContainer("apache/kafka:4.1.1");
        kafka.start();
        Runtime.getRuntime().addShutdownHook(new Thread(kafka::stop, "test-kafka-stop"));
        return kafka.getBootstrapServers();
    }

    private static String startInProcess() {
        try {
            Path logDir = Files.createTempDirectory("economy-test-kafka");
            EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(logDir, 0);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                broker.close();
                // Each test JVM would otherwise leave the broker's log directory behind.
                try {
                    Directories.deleteRecursively(logDir);
                } catch (IOException e) {
                    System.err.println("could not delete the test broker's log directory " + logDir + ": " + e);
                }
            }, "test-kafka-stop"));
            return broker.bootstrapServers();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
