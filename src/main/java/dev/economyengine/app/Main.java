package dev.economyengine.app;

import dev.economyengine.config.ConfigException;
import dev.economyengine.config.ConfigLoader;
import dev.economyengine.config.EconomyConfig;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code java -jar economy-engine.jar [run|demo|verify]}. {@code run} (the default) starts the worker
 * until SIGTERM or Ctrl-C; {@code demo} starts it, publishes a few requests and prints their results;
 * {@code verify <shard file or directory>...} checks shard files offline and prints their state hashes.
 * Exit codes: 0 done, 1 failed at run time, 2 bad command line or configuration.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        String command = args.length == 0 ? "run" : args[0];
        if (command.equals("verify")) {
            // Offline: reads shard files, needs neither configuration nor Kafka.
            System.exit(VerifyCommand.run(List.of(args).subList(1, args.length), System.out, System.err));
        }
        try {
            EconomyConfig config = ConfigLoader.load(System.getenv());
            switch (command) {
                case "run" -> run(config);
                case "demo" -> Demo.run(config);
                default -> {
                    System.err.println("unknown command '" + command + "'; usage: economy-engine [run|demo|verify]");
                    System.exit(2);
                }
            }
        } catch (ConfigException e) {
            System.err.println("configuration error: " + e.getMessage());
            System.exit(2);
        } catch (RuntimeException e) {
            System.err.println("economy-engine failed: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static void run(EconomyConfig config) {
        EconomyEngine engine = EconomyEngine.start(config);
        AtomicBoolean stopping = new AtomicBoolean();
        // SIGTERM and Ctrl-C: finish the batch in hand, commit, close; the JVM waits for this hook.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping.set(true);
            engine.close();
        }, "economy-shutdown"));
        engine.awaitWorkerExit();
        if (!stopping.get()) {
            // The worker died by itself (it has logged why): exit non-zero so a supervisor restarts it.
            engine.close();
            System.exit(1);
        }
    }
}
