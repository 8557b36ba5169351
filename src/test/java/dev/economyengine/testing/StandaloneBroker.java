package dev.economyengine.testing;

import static org.awaitility.Awaitility.await;

import dev.economyengine.broker.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kafka broker in a JVM of its own ({@code StandaloneBroker <log-dir>}), for a test that must be able to
 * kill its broker with SIGKILL: the in-process broker the tests share cannot be. Prints one line, "bootstrap
 * servers host:port", once it accepts clients, then runs until killed.
 */
public final class StandaloneBroker {
    private static final Pattern READY_LINE = Pattern.compile("bootstrap servers (\\S+)");

    private StandaloneBroker() {}

    public static void main(String[] args) throws InterruptedException {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(Path.of(args[0]), 0);
        System.out.println("bootstrap servers " + broker.bootstrapServers());
        System.out.flush();
        Thread.currentThread().join();
    }

    /** Starts one under {@code dir} and waits until it accepts clients; returns it with its bootstrap servers. */
    public static Started start(Path dir) {
        CommandProcess process = CommandProcess.startTestMain(StandaloneBroker.class,
                List.of(dir.resolve("kafka").toString()), dir, "broker");
        String servers = await().atMost(CommandProcess.START_TIMEOUT)
                .until(() -> bootstrapServers(process), found -> found != null || !process.isAlive());
        if (servers == null) {
            throw new AssertionError("the broker process ended: " + process.stdout() + process.stderr());
        }
        return new Started(process, servers);
    }

    private static String bootstrapServers(CommandProcess process) {
        Matcher matcher = READY_LINE.matcher(process.stdout());
        return matcher.find() ? matcher.group(1) : null;
    }

    /** A broker process and where to reach it. */
    public record Started(CommandProcess process, String bootstrapServers) {}
}
