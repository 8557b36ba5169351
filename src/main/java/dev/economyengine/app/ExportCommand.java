package dev.economyengine.app;

import dev.economyengine.config.ConfigException;
import dev.economyengine.ledger.Transaction;
import dev.economyengine.store.ShardExport;
import dev.economyengine.store.StoreException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * {@code economy-engine export}: writes the transactions of shards, or of one user, with their entries,
 * as CSV or JSON lines. Offline and read-only: it needs no Kafka, and no configuration unless it is given
 * no path (then it reads the configured data directory's shards), and every shard is checked before the
 * first byte is written, so a bad path leaves no output behind.
 *
 * <p>Exit codes: 0 written (also when the user has no transactions, which is said on stderr); 1 the
 * output could not be written; 2 a bad command line, or a shard file that is missing or not a shard.
 */
final class ExportCommand {
    static final String USAGE = """
            usage: economy-engine export [--format csv|jsonl] [--user <userId>] [--output <file>] \
            [<shard-file-or-data-dir>...]
              writes ledger transactions with their entries, oldest first: every transaction of the shards
              given, or with --user only that user's
              --format csv    one row per entry, with a header row (RFC 4180); the default
              --format jsonl  one transaction per line, as the query API shows it, plus userId
              --output <file> a new file (an existing one is never overwritten); default stdout
              a directory stands for its shard-*.db files, or a data directory's ledger/shard-*.db
              with no path: the configured data directory's ledger/ (ECONOMY_DATA_DIR, else data.dir in the
              configuration file, else ./data)
              shard files are opened read-only; a worker may keep running""";

    private static final Set<String> OPTIONS = Set.of("--format", "--user", "--output");

    private ExportCommand() {}

    /**
     * {@code args} are the arguments after {@code export}; {@code configuredDataDir} is asked only when
     * they name no path, and may throw {@link ConfigException}.
     */
    static int run(List<String> args, Supplier<Path> configuredDataDir, PrintStream out, PrintStream err) {
        if (CommandLine.asksForHelp(args)) {
            out.println(USAGE);
            return 0;
        }
        Request request;
        try {
            request = Request.of(CommandLine.parse(args, OPTIONS), configuredDataDir);
        } catch (ConfigException e) {
            err.println("configuration error: " + e.getMessage());
            return 2;
        } catch (UsageException e) {
            err.println(e.getMessage());
            err.println(USAGE);
            return 2;
        }
        List<ShardExport> shards = new ArrayList<>();
        try {
            for (Path file : request.files()) {
                shards.add(ShardExport.open(file));
            }
            return export(request, shards, out, err);
        } catch (StoreException e) {
            err.println(e.getMessage());
            return 2;
        } finally {
            shards.forEach(ShardExport::close);
        }
    }

    /** What to export, checked: the format is known, and the paths name shard files. */
    private record Request(String format, Optional<String> userId, Optional<Path> output, List<Path> files) {
        static Request of(CommandLine line, Supplier<Path> configuredDataDir) {
            String format = line.option("--format").orElse("csv");
            if (!format.equals("csv") && !format.equals("jsonl")) {
                throw new UsageException("unknown format '" + format + "': use csv or jsonl");
            }
            Optional<String> userId = line.option("--user");
            if (userId.isPresent() && userId.get().isEmpty()) {
                throw new UsageException("--user needs a user id");
            }
            Optional<Path> output;
            try {
                output = line.option("--output").map(Path::of);
            } catch (InvalidPathException e) {
                throw new UsageException("not a valid path for --output: " + e.getMessage());
            }
            List<Path> files = new ArrayList<>();
            line.operands().forEach(operand -> files.addAll(ShardFiles.of(operand)));
            if (line.operands().isEmpty()) {
                files.addAll(ShardFiles.ofDataDir(configuredDataDir.get()));
            }
            return new Request(format, userId, output, List.copyOf(files));
        }
    }

    private static int export(Request request, List<ShardExport> shards, PrintStream out, PrintStream err) {
        long total = 0;
        for (ShardExport shard : shards) {
            total += request.userId().map(shard::countTransactionsOf).orElseGet(shard::countTransactions);
        }
        OutputStream target;
        try {
            target = request.output().isPresent() ? createNew(request.output().get()) : out;
        } catch (IOException e) {
            err.println(e instanceof FileAlreadyExistsException
                    ? "output file " + request.output().get() + " already exists; it is never overwritten"
                    : "cannot create output file " + request.output().get() + ": " + e);
            return 2;
        }
        ProgressBar progress = ProgressBar.onStderr("export", total, err);
        try {
            write(request, shards, target, progress);
        } catch (StoreException e) {
            // A shard that turns out to be damaged past its first pages: no half export is left behind.
            request.output().ifPresent(ExportCommand::deleteQuietly);
            throw e;
        } catch (IOException | UncheckedIOException e) {
            request.output().ifPresent(ExportCommand::deleteQuietly);
            err.println("cannot write the export: " + e.getMessage());
            return 1;
        }
        progress.finish();
        if (target == out && out.checkError()) {
            err.println("cannot write the export to standard output");
            return 1;
        }
        if (total == 0 && request.userId().isPresent()) {
            err.println("no transactions of user " + request.userId().get() + " in " + shards.size() + " shard file(s)");
        }
        return 0;
    }

    private static void write(Request request, List<ShardExport> shards, OutputStream target, ProgressBar progress)
            throws IOException {
        // Closing the writer closes an output file, but never the caller's stdout.
        Writer buffered = new BufferedWriter(new OutputStreamWriter(target, StandardCharsets.UTF_8), 64 * 1024);
        try {
            TransactionWriter writer = TransactionWriter.of(request.format(), buffered);
            Consumer<Transaction> sink = transaction -> {
                try {
                    writer.write(transaction);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                progress.advance(1);
            };
            for (ShardExport shard : shards) {
                if (request.userId().isPresent()) {
                    shard.forEachTransactionOf(request.userId().get(), sink);
                } else {
                    shard.forEachTransaction(sink);
                }
            }
            writer.finish();
        } finally {
            if (request.output().isPresent()) {
                buffered.close();
            } else {
                buffered.flush();
            }
        }
    }

    private static OutputStream createNew(Path output) throws IOException {
        return Files.newOutputStream(output, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // The failure that led here is what the operator needs to see.
        }
    }
}
