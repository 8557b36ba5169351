package dev.economyengine.bench;

import dev.economyengine.broker.StandaloneBroker;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The embedded broker in a JVM of its own ({@link StandaloneBroker}), started with this JVM's java
 * binary and class path: as in production, the broker's CPU, heap, collector and JIT compilers are not
 * the worker's, and its CPU is read from /proc. Closing it ends its input, which stops it (SIGTERM, then
 * SIGKILL, if it does not stop in time), and deletes its directory; so does a failed start.
 */
final class BrokerProcess implements BenchBroker {
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);
    private static final int LOG_LINES_SHOWN = 20;

    private final Process process;
    private final Path directory;
    private final String bootstrapServers;

    private BrokerProcess(Process process, Path directory, String bootstrapServers) {
        this.process = process;
        this.directory = directory;
        this.bootstrapServers = bootstrapServers;
    }

    /** Starts the process and returns once the broker accepts clients. */
    static BrokerProcess start() {
        Path directory = createDirectory();
        Path log = directory.resolve("broker.log");
        Process process;
        try {
            process = new ProcessBuilder(javaBinary(), "-cp", System.getProperty("java.class.path"),
                    // Read by logback.xml: plain-text logs, on stderr, which goes to the log file.
                    "-Deconomy.log.format=text", "-Deconomy.log.target=System.err",
                    StandaloneBroker.class.getName(), directory.resolve("kafka").toString())
                    .redirectError(log.toFile())
                    .start();
        } catch (IOException e) {
            BenchWorld.deleteRecursively(directory);
            throw new UncheckedIOException("cannot start the broker process", e);
        }
        CompletableFuture<String> address = new CompletableFuture<>();
        Thread reader = new Thread(() -> readOutput(process, address), "bench-broker-output");
        reader.setDaemon(true);
        reader.start();
        try {
            return new BrokerProcess(process, directory, address.get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
        } catch (ExecutionException | TimeoutException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            stop(process);
            String logTail = tail(log);
            BenchWorld.deleteRecursively(directory);
            throw new IllegalStateException("the broker process did not become ready within " + READY_TIMEOUT.toSeconds()
                    + " s (" + (e instanceof ExecutionException ? e.getCause().getMessage() : e.toString())
                    + "); its log ends with:\n" + logTail, e);
        }
    }

    /** Finds the ready line on the process's stdout, then keeps reading, so that the process never blocks on a full pipe. */
    private static void readOutput(Process process, CompletableFuture<String> address) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.startsWith(StandaloneBroker.READY)) {
                    address.complete(line.substring(StandaloneBroker.READY.length()).trim());
                }
            }
        } catch (IOException e) {
            // The process ended or was stopped; the future says so below, if it was not ready yet.
        }
        address.completeExceptionally(new IllegalStateException("the broker process ended"));
    }

    @Override
    public Kind kind() {
        return Kind.PROCESS;
    }

    @Override
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Its utime and stime, all its threads', ended ones included. */
    @Override
    public CpuMeter cpu() {
        return () -> ProcessCpu.processSeconds(process.pid());
    }

    long pid() {
        return process.pid();
    }

    /** The broker's log directory and its log file are under it; deleted at close. */
    Path directory() {
        return directory;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        try {
            stop(process);
        } finally {
            BenchWorld.deleteRecursively(directory);
        }
    }

    /** Closes its input, which stops it; SIGTERM if it does not stop in time, then SIGKILL. */
    private static void stop(Process process) {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // Closed already, or the process is gone: it stops, or is stopped below.
        }
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroy();
                if (!process.waitFor(KILL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static Path createDirectory() {
        try {
            return Files.createTempDirectory("economy-bench-broker");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory", e);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_LINES_SHOWN), lines.size()));
        } catch (IOException | RuntimeException e) {
            return "(no log: " + e + ")";
        }
    }
}
