package dev.economyengine.app;

import dev.economyengine.bench.BenchCommand;
import dev.economyengine.config.ConfigException;
import dev.economyengine.config.ConfigLoader;
import dev.economyengine.config.EconomyConfig;
import dev.economyengine.lock.StartRefusedException;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.ToIntFunction;

/**
 * {@code java -jar economy-engine.jar [command] [arguments]}: {@code run} (the default) starts the worker
 * until SIGTERM or Ctrl-C; {@code demo} starts it, publishes a few requests and prints their results;
 * {@code verify} checks shard files offline; {@code export} writes their transactions as CSV or JSON
 * lines; {@code replay} rebuilds shard files from the changelog; {@code help} describes them all.
 * Exit codes: 0 done, 1 failed at run time (or a stop that passed its deadline), 2 bad command line or
 * configuration, or a data directory or port in use.
 *
 * <p>Logging is chosen here, before anything logs: for the worker, plain text when stdout is a terminal
 * (a person reads it) and JSON lines otherwise (a log collector does); plain text for the other commands
 * (a person runs those); {@value #LOG_FORMAT_ENV} overriding both except for {@code demo}. The worker logs
 * to stdout, the other commands to stderr, so that their stdout carries only their output.
 */
public final class Main {
    static final String LOG_FORMAT_ENV = ConfigLoader.LOG_FORMAT_ENV;
    /** Read by logback.xml. */
    static final String LOG_FORMAT_PROPERTY = "economy.log.format";
    static final String LOG_TARGET_PROPERTY = "economy.log.target";

    static final String RUN_USAGE = """
            usage: economy-engine [run]
              starts the worker and runs it until SIGTERM or Ctrl-C (which finish the batch in hand and commit,
              within shutdown.timeout.ms, else exit 1 naming what was still running); exits 1 if the worker
              stops by itself, so that a supervisor restarts it. Without ECONOMY_BOOTSTRAP_SERVERS it starts an
              embedded single-node Kafka broker (development only). One process per data directory: a second
              is refused (exit 2), naming the first""";
    static final String DEMO_USAGE = """
            usage: economy-engine demo
              publishes a few earn and spend requests for a new user and tells what the worker answered: to
              the worker that answers at ECONOMY_BOOTSTRAP_SERVERS if there is one, otherwise to a worker of its
              own on a temporary data directory and free ports, deleted at the end; a running worker is never
              disturbed""";
    static final String USAGE = """
            usage: economy-engine [command] [arguments]

            commands:
              run       start the worker (the default)
              demo      send a worker a few requests and tell its answers (starting one of its own if need be)
              verify    check shard files offline and print their state hashes
              export    write the transactions of shards or of one user as CSV or JSON lines
              replay    rebuild shard files from the changelog topic
              bench     measure throughput, latency and restore against their ceilings, in one run
              help      print this help; 'economy-engine <command> --help' describes one command

            """ + RUN_USAGE + "\n\n" + DEMO_USAGE + "\n\n" + VerifyCommand.USAGE + "\n\n" + ExportCommand.USAGE
            + "\n\n" + ReplayCommand.USAGE + "\n\n" + BenchCommand.USAGE + "\n\n" + """
            configuration: ECONOMY_* environment variables over config/economy.properties (or the file named
            by ECONOMY_CONFIG); see the README for every key. verify and export given paths need none.
            logs: ECONOMY_LOG_FORMAT=json|text; by default for run text on a terminal and json otherwise, text
            for the other commands, and always text for demo.
            exit codes: 0 done, 1 failed at run time or stopped past its shutdown deadline, 2 bad command line
            or configuration, or a data directory or port in use.""";

    private Main() {}

    public static void main(String[] args) {
        List<String> all = List.of(args);
        String command = all.isEmpty() ? "run" : all.get(0);
        List<String> rest = all.isEmpty() ? List.of() : all.subList(1, all.size());
        Map<String, String> env = System.getenv();
        String logFormat;
        try {
            // The usual test for a terminal: Java has a console when stdin and stdout are both one.
            logFormat = logFormat(command, env, System.console() != null);
        } catch (UsageException e) {
            System.err.println("configuration error: " + e.getMessage());
            System.exit(2);
            return;
        }
        // Before the first logger exists: logback reads these when it configures itself.
        System.setProperty(LOG_FORMAT_PROPERTY, logFormat);
        System.setProperty(LOG_TARGET_PROPERTY, command.equals("run") ? "System.out" : "System.err");
        int exit = run(command, rest, env, System.out, System.err);
        // After a SIGTERM the JVM is already shutting down, and System.exit would wait forever for it.
        if (!(command.equals("run") && exit == 0)) {
            System.exit(exit);
        }
    }

    /** Runs one command; returns its exit code. */
    static int run(String command, List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
        switch (command) {
            case "help", "--help", "-h" -> {
                out.println(USAGE);
                return 0;
            }
            // Offline and read-only, beside a running worker: they read shard files, and need the
            // configuration only to find the data directory when given no path.
            case "verify" -> {
                return VerifyCommand.run(args, () -> ConfigLoader.load(env).dataDir(), out, err);
            }
            case "export" -> {
                return ExportCommand.run(args, () -> ConfigLoader.load(env).dataDir(), out, err);
            }
            case "bench" -> {
                return BenchCommand.run(args, env, out, err, EconomyEngine::start);
            }
            case "replay" -> {
                if (CommandLine.asksForHelp(args)) {
                    // Help needs no configuration, not even a valid one.
                    out.println(ReplayCommand.USAGE);
                    return 0;
                }
                return withConfig(env, err, config -> ReplayCommand.run(args, config, out, err));
            }
            case "run", "demo" -> {
                String usage = command.equals("run") ? RUN_USAGE : DEMO_USAGE;
                if (CommandLine.asksForHelp(args)) {
                    out.println(usage);
                    return 0;
                }
                if (!args.isEmpty()) {
                    err.println(command + " takes no arguments, was given '" + args.get(0) + "'");
                    err.println(usage);
                    return 2;
                }
                return withConfig(env, err, command.equals("run")
                        ? config -> runWorker(config, err)
                        : config -> Demo.run(config, env, out));
            }
            default -> {
                err.println("unknown command '" + command + "'");
                err.println(USAGE);
                return 2;
            }
        }
    }

    /** Loads the configuration and runs the command with it: exit 2 for a bad configuration, 1 for a failure. */
    private static int withConfig(Map<String, String> env, PrintStream err, ToIntFunction<EconomyConfig> command) {
        try {
            return command.applyAsInt(ConfigLoader.load(env));
        } catch (ConfigException e) {
            err.println("configuration error: " + e.getMessage());
            return 2;
        } catch (StartRefusedException e) {
            // A directory or port in use: the message says which and what to do; a stack trace would bury it.
            err.println(e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            err.println("economy-engine failed: " + e);
            e.printStackTrace(err);
            return 1;
        }
    }

    /**
     * The log format: {@value #LOG_FORMAT_ENV} if set; else for the worker text on a {@code terminal} (a
     * person watches it) and JSON lines otherwise (what log collectors read); text for the other commands;
     * {@code demo} is always text, as a newcomer reads it.
     */
    static String logFormat(String command, Map<String, String> env, boolean terminal) {
        String configured = env.getOrDefault(LOG_FORMAT_ENV, "").trim().toLowerCase(Locale.ROOT);
        if (!configured.isEmpty() && !configured.equals("json") && !configured.equals("text")) {
            throw new UsageException(LOG_FORMAT_ENV + " must be json or text, was '" + env.get(LOG_FORMAT_ENV) + "'");
        }
        if (command.equals("demo")) {
            return "text";
        }
        if (!configured.isEmpty()) {
            return configured;
        }
        return command.equals("run") && !terminal ? "json" : "text";
    }

    /**
     * Returns 0 once stopped by SIGTERM or Ctrl-C, 1 if the worker died by itself (it has logged why).
     * Either way the stop takes at most shutdown.timeout.ms: past it the process halts with exit code 1.
     */
    private static int runWorker(EconomyConfig config, PrintStream err) {
        EconomyEngine engine = EconomyEngine.start(config);
        AtomicBoolean stopping = new AtomicBoolean();
        // SIGTERM and Ctrl-C: finish the batch in hand, commit, close. The JVM waits for this hook, and the
        // hook waits for the engine no longer than its deadline.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping.set(true);
            haltIfUnfinished(engine.shutDown(), err);
        }, "economy-shutdown"));
        engine.awaitWorkerExit();
        if (stopping.get()) {
            return 0;
        }
        // Exit non-zero so that a supervisor restarts it.
        haltIfUnfinished(engine.shutDown(), err);
        return 1;
    }

    /**
     * A stop that passed its deadline ends the process at once, naming what it could not finish: halt, not
     * exit, which inside a shutdown hook would wait for the hooks, this one included, forever.
     */
    private static void haltIfUnfinished(ShutdownReport report, PrintStream err) {
        if (!report.complete()) {
            err.println(report.message());
            err.flush();
            Runtime.getRuntime().halt(1);
        }
    }
}
