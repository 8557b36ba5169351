package dev.economyengine.app;

import dev.economyengine.store.ShardVerifier;
import dev.economyengine.store.StoreException;
import dev.economyengine.store.VerificationReport;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code economy-engine verify <shard-file-or-directory>...}: checks shard files offline, read-only, and
 * prints one line per shard with its state hash (equal hashes mean equal ledgers).
 *
 * <p>Exit codes: 0 every shard is sound; 1 some shard breaks an invariant; 2 a bad command line or a
 * path that is missing or not a shard. When a run has both, 2 wins (as with grep and diff): the
 * verification was incomplete, and the FAILED lines are printed all the same.
 */
final class VerifyCommand {
    static final String USAGE = "usage: economy-engine verify <shard-file-or-directory>...\n"
            + "  a directory stands for every shard-*.db file in it";

    private static final Pattern SHARD_FILE = Pattern.compile("shard-(\\d{1,9})\\.db");

    private VerifyCommand() {}

    /** {@code args} are the arguments after {@code verify}. */
    static int run(List<String> args, PrintStream out, PrintStream err) {
        if (args.isEmpty()) {
            err.println(USAGE);
            return 2;
        }
        if (args.size() == 1 && (args.get(0).equals("-h") || args.get(0).equals("--help"))) {
            out.println(USAGE);
            return 0;
        }
        boolean incomplete = false;
        boolean failed = false;
        for (String arg : args) {
            List<Path> files = shardFiles(arg, err);
            if (files == null) {
                incomplete = true;
                continue;
            }
            for (Path file : files) {
                try {
                    VerificationReport report = ShardVerifier.verify(file);
                    print(file, report, out);
                    failed |= !report.ok();
                } catch (StoreException e) {
                    err.println(e.getMessage());
                    incomplete = true;
                }
            }
        }
        return incomplete ? 2 : failed ? 1 : 0;
    }

    /** The files an argument stands for, in shard order; null (after saying why on err) if none. */
    private static List<Path> shardFiles(String arg, PrintStream err) {
        if (arg.startsWith("-")) {
            err.println("unknown option '" + arg + "'\n" + USAGE);
            return null;
        }
        Path path;
        try {
            path = Path.of(arg);
        } catch (InvalidPathException e) {
            err.println("not a valid path: '" + arg + "': " + e.getMessage());
            return null;
        }
        if (!Files.isDirectory(path)) {
            // A missing or unreadable file is reported by the verifier, which names the problem.
            return List.of(path);
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> shards = Files.newDirectoryStream(path, "shard-*.db")) {
            shards.forEach(files::add);
        } catch (IOException e) {
            err.println("cannot list " + path + ": " + e);
            return null;
        }
        if (files.isEmpty()) {
            err.println("no shard-*.db files in " + path);
            return null;
        }
        // By shard number, so that shard-2 comes before shard-10.
        files.sort(Comparator.comparingLong(VerifyCommand::shardNumber).thenComparing(Path::toString));
        return files;
    }

    private static long shardNumber(Path file) {
        Matcher matcher = SHARD_FILE.matcher(file.getFileName().toString());
        return matcher.matches() ? Long.parseLong(matcher.group(1)) : Long.MAX_VALUE;
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
