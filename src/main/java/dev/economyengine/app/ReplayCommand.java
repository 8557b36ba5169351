package dev.economyengine.app;

import dev.economyengine.config.EconomyConfig;
import dev.economyengine.config.RulesLoader;
import dev.economyengine.ledger.Economy;
import dev.economyengine.lock.DirectoryLock;
import dev.economyengine.lock.StartRefusedException;
import dev.economyengine.messaging.ClientProperties;
import dev.economyengine.store.ShardFileLock;
import dev.economyengine.store.ShardStore;
import dev.economyengine.store.ShardVerifier;
import dev.economyengine.store.StoreException;
import dev.economyengine.store.StoreOptions;
import dev.economyengine.store.VerificationReport;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;

/**
 * {@code economy-engine replay}: rebuilds shard files from the changelog topic, from its first record.
 *
 * <p>Safety: the old shard file is never written. Each shard is rebuilt into {@code shard-<p>.db.replay}
 * beside it, verified with {@link ShardVerifier}, compared with the old file (a rebuild with fewer
 * transactions than the old file means a wrong topic or a changelog that lost records, and is refused),
 * and only then renamed over it in one atomic step, after the old file's {@code -wal}/{@code -shm}
 * are removed so that SQLite can never pair them with the new file. Every shard is checked before the
 * first is replaced. Replay holds the data directory's lock (see {@link DirectoryLock}) from before it
 * looks at the first shard file to the end, so no worker of this program starts on the directory
 * meanwhile, and one already running there is refused at once. A shard file that some other process has
 * open is refused too, before any work and again just before its rename.
 *
 * <p>Exit codes: 0 every shard rebuilt; 1 replay failed (Kafka unreachable, changelog not replayable,
 * shard in use, verification failed), leaving the old files in place; 2 a bad command line, no Kafka
 * configured (replay never starts the embedded broker), or a data directory a worker uses.
 */
final class ReplayCommand {
    static final String USAGE = """
            usage: economy-engine replay [--partitions 0,2,...] [--data-dir <dir>] [--timeout <seconds>]
              rebuilds shard files from the changelog topic (topic.changelog), from its first record to its
              end; stop the worker of the data directory first (one that runs is refused, exit 2)
              each shard is written to ledger/shard-<p>.db.replay, verified, and only then renamed over
              ledger/shard-<p>.db; if anything fails, the old files are left as they were
              --partitions  the shards to rebuild; default every partition of the changelog
              --data-dir    the data directory; default data.dir (ECONOMY_DATA_DIR)
              --timeout     seconds to wait for Kafka before failing; default 30
              uses the worker's configuration: ECONOMY_BOOTSTRAP_SERVERS is required (replay never starts
              the embedded broker; with the embedded broker, start the worker instead: it restores a
              missing shard by itself), ECONOMY_KAFKA_* security settings apply""";

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    private static final String COMMAND = "economy-engine replay";
    private static final Set<String> OPTIONS = Set.of("--partitions", "--data-dir", "--timeout");
    private static final String TEMP_SUFFIX = ".replay";
    /** The files SQLite keeps beside a database, which belong to that database file alone. */
    private static final List<String> SQLITE_SIDE_FILES = List.of("-wal", "-shm", "-journal");
    private static final int LISTED_VIOLATIONS = 5;

    private final Options options;
    private final ChangelogReplay changelog;
    private final StoreOptions storeOptions;
    private final PrintStream out;
    private final PrintStream err;
    private final List<Path> temporaryFiles = new ArrayList<>();
    private boolean keepTemporaryFiles;

    private ReplayCommand(Options options, ChangelogReplay changelog, StoreOptions storeOptions, PrintStream out,
            PrintStream err) {
        this.options = options;
        this.changelog = changelog;
        this.storeOptions = storeOptions;
        this.out = out;
        this.err = err;
    }

    /** {@code args} are the arguments after {@code replay}; {@code config} is the worker's configuration. */
    static int run(List<String> args, EconomyConfig config, PrintStream out, PrintStream err) {
        if (CommandLine.asksForHelp(args)) {
            out.println(USAGE);
            return 0;
        }
        Options options;
        try {
            options = Options.of(CommandLine.parse(args, OPTIONS), config);
        } catch (UsageException e) {
            err.println(e.getMessage());
            err.println(USAGE);
            return 2;
        }
        if (config.bootstrapServers().isEmpty()) {
            err.println("replay needs a Kafka cluster: set ECONOMY_BOOTSTRAP_SERVERS (bootstrap.servers). It never"
                    + " starts the embedded broker; with the embedded broker, start the worker instead, which"
                    + " restores a missing shard by itself.");
            return 2;
        }
        // The economy the worker runs: a changelog record of the first format is its default currency's.
        Economy economy = RulesLoader.load(config.rulesFile());
        String bootstrap = config.bootstrapServers().get();
        Admin admin = null;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties(bootstrap, config))) {
            admin = Admin.create(ClientProperties.admin(bootstrap, config.adminProperties()));
            ChangelogReplay changelog = new ChangelogReplay(admin, consumer, config.topics().changelog(),
                    options.timeout());
            StoreOptions storeOptions = new StoreOptions(Clock.systemUTC(), config.balanceCacheTtl(), economy);
            return new ReplayCommand(options, changelog, storeOptions, out, err).replay();
        } catch (UsageException | StartRefusedException e) {
            err.println(e.getMessage());
            return 2;
        } catch (ReplayFailure | StoreException | KafkaException e) {
            err.println("replay failed: " + e.getMessage());
            return 1;
        } finally {
            if (admin != null) {
                admin.close(Duration.ofSeconds(5));
            }
        }
    }

    private static Map<String, Object> consumerProperties(String bootstrap, EconomyConfig config) {
        Map<String, Object> properties = new LinkedHashMap<>(
                ClientProperties.restoreConsumer(bootstrap, config.consumerProperties()));
        // Replay reads a topic that must already exist; it never creates one, even where the brokers would.
        properties.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        // Offset 0 out of range means the changelog lost its first records: fail rather than skip them.
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        return properties;
    }

    /** The command line, checked. */
    private record Options(Optional<Set<Integer>> partitions, Path dataDir, Duration timeout) {
        static Options of(CommandLine line, EconomyConfig config) {
            if (!line.operands().isEmpty()) {
                throw new UsageException("replay takes no operands, was given '" + line.operands().get(0) + "'");
            }
            Optional<Set<Integer>> partitions = line.option("--partitions").map(Options::partitions);
            Path dataDir;
            try {
                dataDir = line.option("--data-dir").map(Path::of).orElse(config.dataDir());
            } catch (InvalidPathException e) {
                throw new UsageException("not a valid path for --data-dir: " + e.getMessage());
            }
            Duration timeout = line.option("--timeout").map(Options::seconds).orElse(DEFAULT_TIMEOUT);
            return new Options(partitions, dataDir, timeout);
        }

        /** Where the worker keeps its shards (EconomyEngine.shardDir). */
        Path ledgerDir() {
            return dataDir.resolve("ledger");
        }

        private static Set<Integer> partitions(String list) {
            Set<Integer> partitions = new TreeSet<>();
            for (String item : list.split(",", -1)) {
                try {
                    int partition = Integer.parseInt(item.trim());
                    if (partition < 0) {
                        throw new NumberFormatException();
                    }
                    partitions.add(partition);
                } catch (NumberFormatException e) {
                    throw new UsageException("--partitions takes partition numbers separated by commas, such as 0,2;"
                            + " was '" + list + "'");
                }
            }
            return partitions;
        }

        private static Duration seconds(String value) {
            try {
                int seconds = Integer.parseInt(value);
                if (seconds < 1 || seconds > 3600) {
                    throw new NumberFormatException();
                }
                return Duration.ofSeconds(seconds);
            } catch (NumberFormatException e) {
                throw new UsageException("--timeout takes a whole number of seconds from 1 to 3600, was '" + value + "'");
            }
        }
    }

    /** One shard to rebuild: its file and the temporary file it is rebuilt in. */
    private record Target(int partition, Path file, Path temp) {
        static Target of(int partition, Path ledgerDir) {
            Path file = ledgerDir.resolve("shard-" + partition + ".db");
            return new Target(partition, file, file.resolveSibling(file.getFileName() + TEMP_SUFFIX));
        }
    }

    /** What the file being replaced held: a shard (sound or not), something unreadable, or nothing. */
    private record Previous(Optional<VerificationReport> report, Optional<String> unreadable) {
        static final Previous NONE = new Previous(Optional.empty(), Optional.empty());
    }

    private int replay() {
        List<Target> targets = targets();
        // Before the first shard file is looked at: a worker on this data directory would be writing them.
        DirectoryLock lock = DirectoryLock.acquire(options.dataDir(), "data directory", COMMAND,
                "stop it first: replay rebuilds shards only while no worker uses their data directory");
        try {
            return replay(targets);
        } finally {
            lock.close();
        }
    }

    private int replay(List<Target> targets) {
        try {
            for (Target target : targets) {
                requireNotInUse(target.file());
                prepareTemporaryFile(target);
            }
            Map<Integer, Long> ends = changelog.ends(targets.stream().map(Target::partition).collect(Collectors.toSet()));
            Map<Integer, Long> records = rebuild(targets, ends);
            Map<Integer, VerificationReport> rebuilt = verifyRebuilt(targets);
            Map<Integer, Previous> previous = checkAgainstPrevious(targets, rebuilt);
            replace(targets, rebuilt, previous, records);
            return 0;
        } finally {
            if (!keepTemporaryFiles) {
                temporaryFiles.forEach(ReplayCommand::deleteQuietly);
            }
        }
    }

    private List<Target> targets() {
        int count = changelog.partitionCount();
        Set<Integer> partitions = options.partitions()
                .orElseGet(() -> IntStream.range(0, count).boxed().collect(Collectors.toCollection(TreeSet::new)));
        List<Target> targets = new ArrayList<>();
        for (int partition : partitions) {
            if (partition >= count) {
                throw new UsageException("partition " + partition + " does not exist: the changelog has " + count
                        + " partitions (0 to " + (count - 1) + ")");
            }
            targets.add(Target.of(partition, options.ledgerDir()));
        }
        return targets;
    }

    /** A stale temporary file of an earlier replay that died is removed; one that is open means a replay is running. */
    private void prepareTemporaryFile(Target target) {
        if (probe(target.temp()).state() == ShardFileLock.State.IN_USE) {
            throw new ReplayFailure(target.temp() + " is in use: is another replay running?");
        }
        deleteWithSideFiles(target.temp());
        temporaryFiles.add(target.temp());
    }

    private Map<Integer, Long> rebuild(List<Target> targets, Map<Integer, Long> ends) {
        Map<Integer, ShardStore> stores = new LinkedHashMap<>();
        try {
            for (Target target : targets) {
                stores.put(target.partition(), ShardStore.open(target.temp(), target.partition(), storeOptions));
            }
            long total = ends.values().stream().mapToLong(Long::longValue).sum();
            return changelog.replay(stores, ends, ProgressBar.onStderr("replay", total, err));
        } finally {
            stores.values().forEach(ShardStore::close);
        }
    }

    private Map<Integer, VerificationReport> verifyRebuilt(List<Target> targets) {
        Map<Integer, VerificationReport> reports = new LinkedHashMap<>();
        for (Target target : targets) {
            VerificationReport report = ShardVerifier.verify(target.temp());
            if (!report.ok()) {
                keepTemporaryFiles = true;
                throw new ReplayFailure("shard " + target.partition() + " rebuilt from the changelog fails"
                        + " verification: " + report.violations().stream().limit(LISTED_VIOLATIONS).toList()
                        + "; the rebuilt files are kept for inspection (" + target.temp()
                        + "); nothing was replaced");
            }
            reports.put(target.partition(), report);
        }
        return reports;
    }

    /** Refuses a rebuild that holds less than the file it would replace; returns what each file held. */
    private Map<Integer, Previous> checkAgainstPrevious(List<Target> targets, Map<Integer, VerificationReport> rebuilt) {
        Map<Integer, Previous> previous = new LinkedHashMap<>();
        for (Target target : targets) {
            Previous old = previous(target.file());
            long rebuiltTransactions = rebuilt.get(target.partition()).transactions();
            if (old.report().isPresent() && old.report().get().transactions() > rebuiltTransactions) {
                throw new ReplayFailure("the changelog rebuilds shard " + target.partition() + " with "
                        + rebuiltTransactions + " transactions, but " + target.file() + " holds "
                        + old.report().get().transactions() + ": is topic.changelog the right topic, or did it lose"
                        + " records? Nothing was replaced; move the file away to rebuild it all the same");
            }
            previous.put(target.partition(), old);
        }
        return previous;
    }

    private static Previous previous(Path file) {
        if (!Files.exists(file)) {
            return Previous.NONE;
        }
        try {
            return new Previous(Optional.of(ShardVerifier.verify(file)), Optional.empty());
        } catch (StoreException e) {
            return new Previous(Optional.empty(), Optional.of(e.getMessage()));
        }
    }

    private void replace(List<Target> targets, Map<Integer, VerificationReport> rebuilt, Map<Integer, Previous> previous,
            Map<Integer, Long> records) {
        List<Integer> replaced = new ArrayList<>();
        for (Target target : targets) {
            try {
                replace(target);
            } catch (ReplayFailure e) {
                throw new ReplayFailure(e.getMessage() + (replaced.isEmpty() ? "" : "; shards " + replaced
                        + " were already replaced"));
            }
            replaced.add(target.partition());
            print(target, rebuilt.get(target.partition()), previous.get(target.partition()),
                    records.get(target.partition()));
        }
    }

    /**
     * The old file's side files go first: an old {@code -wal} beside the new file would be replayed into
     * it by SQLite. The probe just before has folded any committed {@code -wal} content into the old file.
     */
    private void replace(Target target) {
        requireNotInUse(target.file());
        try {
            deleteSideFiles(target.file());
            // The verifier's read-only connection may have left empty ones beside the rebuilt file.
            deleteSideFiles(target.temp());
            Files.move(target.temp(), target.file(), StandardCopyOption.ATOMIC_MOVE);
            temporaryFiles.remove(target.temp());
            syncDirectory(target.file().toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new ReplayFailure("cannot move " + target.temp() + " over " + target.file() + ": " + e);
        }
    }

    private void print(Target target, VerificationReport report, Previous previous, long records) {
        String summary = "shard " + target.partition() + "  " + target.file() + "  "
                + (previous.equals(Previous.NONE) ? "CREATED" : "REPLACED") + "  changelog records=" + records
                + " transactions=" + report.transactions() + " users=" + report.users() + " hash=" + report.stateHash();
        if (previous.report().isPresent()) {
            VerificationReport old = previous.report().get();
            summary += old.stateHash().equals(report.stateHash())
                    ? "  (the same state as the file it replaced)"
                    : "  (the file it replaced: " + (old.ok() ? "" : "FAILED verification, ")
                            + "transactions=" + old.transactions() + " hash=" + old.stateHash() + ")";
        }
        out.println(summary);
        previous.unreadable().ifPresent(problem -> out.println("    the file it replaced was unreadable: " + problem));
    }

    private static void requireNotInUse(Path file) {
        if (probe(file).state() == ShardFileLock.State.IN_USE) {
            throw new ReplayFailure(file + " is in use, most likely by a running worker: stop the worker that owns"
                    + " this partition, then replay again. Nothing was replaced.");
        }
    }

    private static ShardFileLock.Probe probe(Path file) {
        try {
            return ShardFileLock.probe(file);
        } catch (SQLException e) {
            throw new ReplayFailure("cannot open " + file + ": " + e.getMessage());
        }
    }

    private static void deleteSideFiles(Path database) throws IOException {
        for (String suffix : SQLITE_SIDE_FILES) {
            Files.deleteIfExists(database.resolveSibling(database.getFileName() + suffix));
        }
    }

    private static void deleteWithSideFiles(Path database) {
        try {
            Files.deleteIfExists(database);
            deleteSideFiles(database);
        } catch (IOException e) {
            throw new ReplayFailure("cannot remove " + database + ": " + e);
        }
    }

    /** Cleanup after a failure, which is what the operator needs to see. */
    private static void deleteQuietly(Path database) {
        try {
            Files.deleteIfExists(database);
            deleteSideFiles(database);
        } catch (IOException e) {
            // Left behind: the next replay removes a stale temporary file before it starts.
        }
    }

    /** Makes the rename durable: on Linux a directory's entries reach the disk when the directory is synced. */
    private static void syncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Not every platform can open a directory; the rename itself has happened.
        }
    }
}
