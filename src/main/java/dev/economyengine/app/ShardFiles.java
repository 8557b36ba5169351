package dev.economyengine.app;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The shard files a command-line argument stands for: a file itself, or the shards of a directory. */
final class ShardFiles {
    private static final Pattern SHARD_FILE = Pattern.compile("shard-(\\d{1,9})\\.db");

    private ShardFiles() {}

    /**
     * A file stands for itself (missing or not, for the reader to report); a directory for its
     * {@code shard-*.db} files or, for a data directory, those in its {@code ledger/}, in shard order.
     * Throws {@link UsageException} for a directory with neither, or a path that is not a path.
     */
    static List<Path> of(String arg) {
        Path path;
        try {
            path = Path.of(arg);
        } catch (InvalidPathException e) {
            throw new UsageException("not a valid path: '" + arg + "': " + e.getMessage());
        }
        if (!Files.isDirectory(path)) {
            return List.of(path);
        }
        List<Path> files = list(path);
        if (files.isEmpty() && Files.isDirectory(path.resolve("ledger"))) {
            files = list(path.resolve("ledger"));
        }
        if (files.isEmpty()) {
            throw new UsageException("no shard-*.db files in " + path + " (nor in its ledger/ directory)");
        }
        return files;
    }

    /**
     * The shards of a data directory, in its {@code ledger/} as the worker keeps them: what verify and
     * export read when given no path. Throws {@link UsageException} when there are none.
     */
    static List<Path> ofDataDir(Path dataDir) {
        Path ledger = dataDir.resolve("ledger");
        if (!Files.isDirectory(ledger)) {
            throw new UsageException("no shard files in the data directory " + dataDir + " (data.dir, ECONOMY_DATA_DIR):"
                    + " it has no ledger/ directory; give shard files or a data directory");
        }
        List<Path> files = list(ledger);
        if (files.isEmpty()) {
            throw new UsageException("no shard-*.db files in " + ledger + ", the data directory's ledger/ (data.dir,"
                    + " ECONOMY_DATA_DIR); give shard files or a data directory");
        }
        return files;
    }

    private static List<Path> list(Path directory) {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> shards = Files.newDirectoryStream(directory, "shard-*.db")) {
            shards.forEach(files::add);
        } catch (IOException e) {
            throw new UsageException("cannot list " + directory + ": " + e);
        }
        // By shard number, so that shard-2 comes before shard-10.
        files.sort(Comparator.comparingLong(ShardFiles::shardNumber).thenComparing(Path::toString));
        return files;
    }

    static long shardNumber(Path file) {
        Matcher matcher = SHARD_FILE.matcher(file.getFileName().toString());
        return matcher.matches() ? Long.parseLong(matcher.group(1)) : Long.MAX_VALUE;
    }
}
