package dev.economyengine.testing;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code economy-engine <command>} as a separate JVM, started as an operator starts it: the program's own
 * classes and libraries (not the tests', so its own logback.xml applies), environment variables, and
 * stdout and stderr kept apart in files. For tests where a process, a lock or a signal is the point.
 */
public final class CommandProcess implements AutoCloseable {
    public static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Pattern HTTP_URL = Pattern.compile("HTTP API at (http://[^\\s\",]+)");

    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private CommandProcess(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** Starts {@code economy-engine <args>} with exactly the ECONOMY_* variables given; output under {@code dir}. */
    public static CommandProcess start(List<String> args, Map<String, String> env, Path dir, String name) {
        List<String> command = new ArrayList<>(javaCommand(productClassPath()));
        command.add("dev.economyengine.app.Main");
        command.addAll(args);
        return launch(command, env, dir, name);
    }

    /** Starts {@code mainClass} of the tests' own class path, such as a broker of a test's own. */
    public static CommandProcess startTestMain(Class<?> mainClass, List<String> args, Path dir, String name) {
        List<String> command = new ArrayList<>(javaCommand(System.getProperty("java.class.path")));
        command.add(mainClass.getName());
        command.addAll(args);
        return launch(command, Map.of(), dir, name);
    }

    private static CommandProcess launch(List<String> command, Map<String, String> env, Path dir, String name) {
        Path stdout = dir.resolve(name + ".stdout");
        Path stderr = dir.resolve(name + ".stderr");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(stdout.toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()));
        builder.environment().keySet().removeIf(variable -> variable.startsWith("ECONOMY_"));
        builder.environment().putAll(env);
        try {
            Files.createDirectories(dir);
            return new CommandProcess(builder.start(), stdout, stderr);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    private static List<String> javaCommand(String classPath) {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-XX:+UseSerialGC", "-cp", classPath);
    }

    /** The test run's class path without the test classes (and so without logback-test.xml). */
    private static String productClassPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !Path.of(entry).endsWith(Path.of("target", "test-classes")))
                .collect(Collectors.joining(File.pathSeparator));
    }

    /** Runs {@code economy-engine <args>} to its end; fails the test if it takes longer than {@code timeout}. */
    public static CommandProcess run(List<String> args, Map<String, String> env, Path dir, String name,
            Duration timeout) {
        CommandProcess process = start(args, env, dir, name);
        if (process.awaitExit(timeout).isEmpty()) {
            process.kill();
            throw new AssertionError("economy-engine " + args + " did not end within " + timeout + "; stderr: "
                    + process.stderr());
        }
        return process;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM, without waiting. */
    public void terminate() {
        process.destroy();
    }

    /**
     * SIGSTOP: the process keeps its sockets open but answers nothing, so that its clients wait for their
     * timeouts instead of being refused at once. {@link #kill()} ends it all the same.
     */
    public void freeze() {
        try {
            Process stop = new ProcessBuilder("kill", "-STOP", Long.toString(process.pid())).inheritIO().start();
            if (stop.waitFor() != 0) {
                throw new IllegalStateException("kill -STOP " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGKILL, and waits for the end. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The exit code, or empty if the process still runs after {@code timeout}. */
    public OptionalInt awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    ? OptionalInt.of(process.exitValue())
                    : OptionalInt.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public int exitCode() {
        return process.exitValue();
    }

    public String stdout() {
        return read(stdout);
    }

    public String stderr() {
        return read(stderr);
    }

    /**
     * Waits until the worker in this process says it has started, then until its HTTP API says it is ready;
     * returns the API's base URL.
     */
    public String awaitReady() {
        String url = await().atMost(START_TIMEOUT).until(this::httpUrl, found -> found != null || !isAlive());
        if (url == null) {
            throw new AssertionError("the worker ended before it started: " + stdout() + stderr());
        }
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(START_TIMEOUT).until(() -> ready(http, url));
        return url;
    }

    private String httpUrl() {
        Matcher matcher = HTTP_URL.matcher(stdout());
        return matcher.find() ? matcher.group(1) : null;
    }

    private static boolean ready(HttpClient http, String url) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/health/ready"))
                    .timeout(Duration.ofSeconds(5)).build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Copies the output files under {@code dir} to target/process-logs/{@code name}, where a failed test's
     * reader finds them after JUnit has deleted its temporary directory.
     */
    public static void keepOutputs(Path dir, String name) {
        Path kept = Path.of("target", "process-logs", name);
        try (var files = Files.list(dir)) {
            Files.createDirectories(kept);
            for (Path file : files.filter(f -> f.toString().endsWith(".stdout") || f.toString().endsWith(".stderr"))
                    .toList()) {
                Files.copy(file, kept.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }
}
