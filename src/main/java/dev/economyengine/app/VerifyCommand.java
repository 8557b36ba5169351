package dev.economyengine.app;

import dev.economyengine.config.ConfigException;
import dev.economyengine.store.ShardVerifier;
import dev.economyengine.store.StoreException;
import dev.economyengine.store.VerificationReport;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code economy-engine verify [<shard-file-or-directory>...]}: checks shard files offline, read-only, and
 * prints one line per shard with its state hash (equal hashes mean equal ledgers). With no path, the shards
 * of the configured data directory, as an operator on the worker's host expects.
 *
 * <p>Exit codes: 0 every shard is sound; 1 some shard breaks an invariant; 2 a bad command line or a
 * path that is missing or not a shard. When a run has both, 2 wins (as with grep and diff): the
 * verification was incomplete, and the FAILED lines are printed all the same.
 */
final class VerifyCommand {
    static final String USAGE = "usage: economy-engine verify [<shard-file-or-directory>...]\n"
            + "  checks shard files offline, read-only, and prints one line per shard with its state hash\n"
            + "  a directory stands for its shard-*.db files, or a data directory's ledger/shard-*.db\n"
            + "  with no path: the configured data directory's ledger/ (ECONOMY_DATA_DIR, else data.dir in the\n"
            + "  configuration file, else ./data); a worker may keep running";

    private VerifyCommand() {}

    /**
     * {@code args} are the arguments after {@code verify}; {@code configuredDataDir} is asked only when
     * they name no path, and may throw {@link ConfigException}.
     */
    static int run(List<String> args, Supplier<Path> configuredDataDir, PrintStream out, PrintStream err) {
        if (CommandLine.asksForHelp(args)) {
            out.println(USAGE);
            return 0;
        }
        boolean incomplete = false;
        boolean failed = false;
        List<Path> files = new ArrayList<>();
        for (String arg : args) {
            if (arg.startsWith("-")) {
                err.println("unknown option '" + arg + "'\n" + USAGE);
                incomplete = true;
                continue;
            }
            try {
                files.addAll(ShardFiles.of(arg));
            } catch (UsageException e) {
                err.println(e.getMessage());
                incomplete = true;
            }
        }
        if (args.isEmpty()) {
            try {
                files.addAll(ShardFiles.ofDataDir(configuredDataDir.get()));
            } catch (ConfigException e) {
                err.println("configuration error: " + e.getMessage());
                return 2;
            } catch (UsageException e) {
                err.println(e.getMessage());
                return 2;
            }
        }
        // Only a long run of many shards shows it: see ProgressBar's delay.
        ProgressBar progress = ProgressBar.onStderr("verify", files.size(), err);
        for (Path file : files) {
            try {
                VerificationReport report = ShardVerifier.verify(file);
                progress.clear();
                print(file, report, out);
                failed |= !report.ok();
            } catch (StoreException e) {
                progress.clear();
                err.println(e.getMessage());
                incomplete = true;
            }
            progress.advance(1);
        }
        progress.finish();
        return incomplete ? 2 : failed ? 1 : 0;
    }

    private static void print(Path file, VerificationReport report, PrintStream out) {
        out.println("shard " + report.shardId() + "  " + file + "  " + (report.ok() ? "OK" : "FAILED")
                + "  transactions=" + report.transactions() + " entries=" + report.entries()
                + " users=" + report.users() + " debits=" + report.totalDebits() + " credits=" + report.totalCredits()
                + " hash=" + report.stateHash());
        for (String violation : report.violations()) {
            out.println("    " + violation);
        }
    }
}
