package dev.economyengine.broker;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * {@code java -cp <the jar> dev.economyengine.broker.StandaloneBroker [log-dir]}: the embedded broker in a
 * process of its own, as a broker runs in production, so that a benchmark can tell the broker's CPU
 * from the worker's and the two do not share a JVM's heap, collector and compilers. It starts on a free
 * loopback port in {@code log-dir} (without one, in a fresh temporary directory that it deletes when it
 * stops), prints {@link #READY} and its bootstrap address as one line on stdout, and stops when its stdin
 * ends (its parent closed it, or died) or on SIGTERM. Exit codes: 0 stopped, 1 failed to start, 2 bad
 * command line.
 */
public final class StandaloneBroker {
    /** Starts the line that gives the bootstrap address, once the broker accepts clients. */
    public static final String READY = "economy-broker ready: bootstrap.servers=";
    /** Read by logback.xml: the logs go to stderr, so that stdout carries only the line above. */
    private static final String LOG_TARGET_PROPERTY = "economy.log.target";

    private StandaloneBroker() {}

    public static void main(String[] args) {
        if (args.length > 1) {
            System.err.println("usage: StandaloneBroker [log-dir]");
            System.exit(2);
        }
        if (System.getProperty(LOG_TARGET_PROPERTY) == null) {
            System.setProperty(LOG_TARGET_PROPERTY, "System.err");
        }
        Path logDir;
        boolean temporary = args.length == 0;
        EmbeddedKafkaBroker broker;
        try {
            logDir = temporary ? Files.createTempDirectory("economy-broker") : Path.of(args[0]);
            broker = start(logDir, temporary);
        } catch (IOException | RuntimeException e) {
            System.err.println("the broker did not start: " + e);
            System.exit(1);
            return;
        }
        // SIGTERM and the end of stdin both end here, through System.exit.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(broker, logDir, temporary), "economy-broker-stop"));
        System.out.println(READY + broker.bootstrapServers());
        System.out.flush();
        awaitEndOfInput(System.in);
        System.exit(0);
    }

    private static EmbeddedKafkaBroker start(Path logDir, boolean temporary) {
        try {
            return EmbeddedKafkaBroker.start(logDir, 0);
        } catch (RuntimeException e) {
            if (temporary) {
                deleteRecursively(logDir);
            }
            throw e;
        }
    }

    private static void stop(EmbeddedKafkaBroker broker, Path logDir, boolean temporary) {
        broker.close();
        if (temporary) {
            deleteRecursively(logDir);
        }
    }

    /** Reads and drops the input until it ends: the parent has nothing to say but "stop", by closing it. */
    private static void awaitEndOfInput(InputStream in) {
        byte[] buffer = new byte[256];
        try {
            while (in.read(buffer) >= 0) {
                // nothing to do
            }
        } catch (IOException e) {
            // An input that fails is as good as one that ended: the parent is gone.
        }
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }
}
