package dev.economyengine.testing;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kafka broker in a JVM of its own ({@link dev.economyengine.broker.StandaloneBroker}), for a test that
 * must be able to kill or freeze its broker: the in-process broker the tests share cannot be.
 */
public final class StandaloneBroker {
    private static final Pattern READY_LINE =
            Pattern.compile(Pattern.quote(dev.economyengine.broker.StandaloneBroker.READY) + "(\\S+)");

    private StandaloneBroker() {}

    /** Starts one under {@code dir} and waits until it accepts clients; returns it with its bootstrap servers. */
    public static Started start(Path dir) {
        CommandProcess process = CommandProcess.startTestMain(dev.economyengine.broker.StandaloneBroker.class,
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
