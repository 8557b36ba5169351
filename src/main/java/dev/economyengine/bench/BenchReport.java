package dev.economyengine.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.stream.Collectors;

/**
 * Every figure of one run, each ceiling, and the worker's ratio to it, as a table for people and as
 * JSON for tools. A target is judged on this run's own ceilings, never on absolute numbers.
 */
record BenchReport(
        Context context,
        PassthroughCeiling.Figures passthrough,
        PassthroughCeiling.Figures threeRecordPassthrough,
        NaiveSqliteCeiling.Figures naiveSqlite,
        NaiveSqliteCeiling.Figures naiveSqliteStatementsReused,
        LedgerAlone.Figures ledgerAlone,
        WorkerThroughput.Figures worker,
        MixOutcomes outcomes,
        LatencyProbe.Figures passthroughLatency,
        LatencyProbe.Figures latency,
        RestoreProbe.Figures restore) {

    static final double PASSTHROUGH_RATIO_TARGET = 0.7;
    static final double NAIVE_SQLITE_RATIO_TARGET = 1.5;
    static final double P99_TARGET_MILLIS = 50;
    /** Ledger entries (two per accepted request) restored per second. */
    static final double RESTORE_TARGET_PER_SECOND = 100_000;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Where and with what the run was made. */
    record Context(int cores, String java, BenchBroker.Kind broker, int partitions, int requests, int users,
            int maxPollRecords, int warmupRequests, double loadAverageAtStart, double loadAverageAtEnd) {}

    double workerOverPassthrough() {
        return worker.requestsPerSecond() / passthrough.recordsPerSecond();
    }

    /** How much of what Kafka alone allows, writing what the worker writes, the ledger leaves: no target. */
    double workerOverThreeRecordPassthrough() {
        return worker.requestsPerSecond() / threeRecordPassthrough.recordsPerSecond();
    }

    /** What the ledger adds to the latency of Kafka's part of the work alone, at the same rate: no target. */
    double p99OverPassthroughMillis() {
        return latency.p99Millis() - passthroughLatency.p99Millis();
    }

    double workerOverNaiveSqlite() {
        return worker.requestsPerSecond() / naiveSqlite.transfersPerSecond();
    }

    /** Against the naive loop with its statements prepared once: a stricter reference, no target. */
    double workerOverNaiveSqliteStatementsReused() {
        return worker.requestsPerSecond() / naiveSqliteStatementsReused.transfersPerSecond();
    }

    /** Records per transaction and partition, from the commit markers in the output topic. */
    private static double perPartitionTransaction(long records, long markers) {
        return markers > 0 ? (double) records / markers : Double.NaN;
    }

    String table() {
        StringBuilder t = new StringBuilder();
        t.append(String.format(Locale.ROOT, "Economy Engine benchmark: %d cores, Java %s, broker %s, %d partitions, "
                + "%,d requests over %,d users (+%d hot), max.poll.records %d%n", context.cores, context.java,
                context.broker.description(), context.partitions, context.requests,
                context.users, RequestMix.HOT_USERS, context.maxPollRecords));
        t.append(String.format(Locale.ROOT, "request mix: %s%n", RequestMix.describe()));
        t.append(context.warmupRequests > 0
                ? String.format(Locale.ROOT, "after a warm-up round of the throughput phases over %,d requests, not"
                        + " measured%n%n", context.warmupRequests)
                : String.format(Locale.ROOT, "no warm-up round: the figures include the JIT compiling the code%n%n"));
        t.append(String.format(Locale.ROOT, "machine load average (1 min): %.1f at the start, %.1f at the end; "
                + "CPU below is the whole process's, %s%n%n", context.loadAverageAtStart,
                context.loadAverageAtEnd, switch (context.broker) {
                    case IN_PROCESS -> "broker included; the worker's, the passthrough's and the broker's threads apart";
                    case PROCESS -> "broker excluded; the worker's and the passthrough's threads, and the broker's"
                            + " process, apart";
                    case EXTERNAL -> "broker excluded; the worker's and the passthrough's threads apart";
                }));
        t.append(String.format(Locale.ROOT, "%-44s %16s  %s%n", "figure", "value", "unit; detail"));
        row(t, "ceiling: exactly-once passthrough", passthrough.recordsPerSecond(), "records/s",
                String.format(Locale.ROOT, "%.0f records/transaction (%.0f per transaction and partition); "
                        + "%s", passthrough.recordsPerTransaction(),
                        perPartitionTransaction(passthrough.records(), passthrough.markers()),
                        cpu(passthrough.cpu(), passthrough.records(), "record")));
        row(t, "ceiling: passthrough, 3 records per request", threeRecordPassthrough.recordsPerSecond(),
                "requests/s", String.format(Locale.ROOT, "the Kafka part of the worker's work; %s",
                        cpu(threeRecordPassthrough.cpu(), threeRecordPassthrough.records(), "request")));
        row(t, "ceiling: naive SQLite loop, one file", naiveSqlite.transfersPerSecond(), "transfers/s",
                String.format(Locale.ROOT, "%,d transfers, a commit every 1000, each statement prepared where it"
                        + " runs", naiveSqlite.transfers()));
        row(t, "naive SQLite loop, statements prepared once", naiveSqliteStatementsReused.transfersPerSecond(),
                "transfers/s", "the same loop, its statements reused: a stricter reference");
        row(t, "the worker's ledger alone, no Kafka", ledgerAlone.requestsPerSecond(), "requests/s",
                String.format(Locale.ROOT, "decoding, deciding, SQLite; one thread; %s",
                        cpu(ledgerAlone.cpu(), ledgerAlone.requests(), "request")));
        row(t, "worker throughput through a backlog", worker.requestsPerSecond(), "requests/s",
                String.format(Locale.ROOT, "%,d requests in %.1f s (%.0f per transaction and partition); "
                        + "%s", worker.requests(), worker.seconds(),
                        perPartitionTransaction(worker.requests(), worker.markers()),
                        cpu(worker.cpu().process(), worker.requests(), "request") + split(worker.cpu(),
                                worker.requests(), "the worker's")));
        outcomesBlock(t);
        latencyRow(t, "ceiling: passthrough latency, 3 records out", passthroughLatency, "the passthrough's");
        latencyRow(t, "worker latency p50 / p99 / max", latency, "the worker's");
        row(t, "worker restore from the changelog", restore.recordsPerSecond(), "changelog records/s",
                String.format(Locale.ROOT, "%,.0f ledger entries/s; %,d records in %.2f s; %s",
                        restore.entriesPerSecond(), restore.changelogRecords(), restore.seconds(),
                        cpu(restore.cpu(), restore.changelogRecords(), "record")));
        t.append(String.format(Locale.ROOT, "%n%-44s %16s  %s%n", "ratio or figure", "value", "target"));
        target(t, "worker / exactly-once passthrough", String.format(Locale.ROOT, "%.2f", workerOverPassthrough()),
                ">= " + PASSTHROUGH_RATIO_TARGET, workerOverPassthrough() >= PASSTHROUGH_RATIO_TARGET);
        t.append(String.format(Locale.ROOT, "%-44s %16s  %s%n", "worker / passthrough, 3 records per request",
                String.format(Locale.ROOT, "%.2f", workerOverThreeRecordPassthrough()),
                "no target: what the ledger leaves of Kafka's rate"));
        target(t, "worker / naive SQLite loop", String.format(Locale.ROOT, "%.2f", workerOverNaiveSqlite()),
                ">= " + NAIVE_SQLITE_RATIO_TARGET, workerOverNaiveSqlite() >= NAIVE_SQLITE_RATIO_TARGET);
        t.append(String.format(Locale.ROOT, "%-44s %16s  %s%n", "worker / naive loop, statements prepared once",
                String.format(Locale.ROOT, "%.2f", workerOverNaiveSqliteStatementsReused()),
                "no target: a stricter reference"));
        if (latency.halfOfWorkerRate()) {
            target(t, "p99 latency at half the worker's rate", String.format(Locale.ROOT, "%.1f ms",
                    latency.p99Millis()), "<= 50 ms", latency.p99Millis() <= P99_TARGET_MILLIS);
        } else {
            t.append(String.format(Locale.ROOT, "%-44s %16s  %s%n", "p99 latency at half the worker's rate",
                    "not measured", "<= 50 ms (--latency-rate set another rate)"));
        }
        t.append(String.format(Locale.ROOT, "%-44s %16s  %s%n", "p99 latency, worker minus passthrough",
                String.format(Locale.ROOT, "%.1f ms", p99OverPassthroughMillis()),
                "no target: what the ledger adds to Kafka's own latency at the same rate"));
        target(t, "restore, ledger entries/s", String.format(Locale.ROOT, "%,.0f", restore.entriesPerSecond()),
                ">= 100,000", restore.entriesPerSecond() >= RESTORE_TARGET_PER_SECOND);
        return t.toString();
    }

    /** Under the worker's throughput: what it answered to each kind of request of the backlog. */
    private void outcomesBlock(StringBuilder t) {
        t.append(String.format(Locale.ROOT, "  %-42s %16s  %s%n", "what the worker answered, by request",
                "requests", "outcome: share of that kind's results"));
        for (RequestMix.Kind kind : RequestMix.Kind.values()) {
            long requests = outcomes.requests(kind);
            String shares = outcomes.counts().getOrDefault(kind, Map.of()).entrySet().stream()
                    .map(outcome -> String.format(Locale.ROOT, "%s %.1f%%", outcome.getKey(),
                            100.0 * outcome.getValue() / requests))
                    .collect(Collectors.joining(", "));
            t.append(String.format(Locale.ROOT, "  %-42s %,16d  %s%n", kind.label(), requests, shares));
        }
    }

    /** p50 / p99 / max, the rate and the CPU per request of one latency phase. */
    private static void latencyRow(StringBuilder t, String name, LatencyProbe.Figures latency, String owner) {
        t.append(String.format(Locale.ROOT, "%-44s %16s  %s%n", name,
                String.format(Locale.ROOT, "%.1f / %.1f / %.1f", latency.p50Millis(), latency.p99Millis(),
                        latency.maxMillis()),
                String.format(Locale.ROOT, "ms; at %,.0f requests/s, %s (sent %,.0f/s), %,d requests after %d s of"
                        + " warm-up; %s", latency.targetPerSecond(),
                        latency.halfOfWorkerRate() ? "half the worker's rate" : "--latency-rate",
                        latency.sentPerSecond(), latency.requests(), latency.warmupSeconds(),
                        cpu(latency.cpu().process(), latency.requests(), "request")
                                + split(latency.cpu(), latency.requests(), owner))));
    }

    private static double micros(double cpuSeconds, long records) {
        return cpuSeconds * 1e6 / records;
    }

    /** For example "; the worker's threads 30.1 µs, the broker 12.0 µs", or "... the broker n/a". */
    private static String split(CpuSplit cpu, long requests, String owner) {
        OptionalDouble own = cpu.ownMicrosPer(requests);
        OptionalDouble broker = cpu.brokerMicrosPer(requests);
        return String.format(Locale.ROOT, "; %s threads %s µs, the broker %s", owner,
                own.isPresent() ? String.format(Locale.ROOT, "%.1f", own.getAsDouble()) : "n/a",
                broker.isPresent() ? String.format(Locale.ROOT, "%.1f µs", broker.getAsDouble()) : "n/a");
    }

    /** For example "42.9 CPU µs/request (JIT compilers 21%)". */
    private static String cpu(ProcessCpu.Used used, long count, String unit) {
        return String.format(Locale.ROOT, "%.1f CPU µs/%s (JIT compilers %.0f%%)", micros(used.cpuSeconds(), count),
                unit, used.jitShare() * 100);
    }

    private static void row(StringBuilder t, String name, double value, String unit, String detail) {
        t.append(String.format(Locale.ROOT, "%-44s %,16.0f  %s; %s%n", name, value, unit, detail));
    }

    private static void target(StringBuilder t, String name, String value, String target, boolean met) {
        t.append(String.format(Locale.ROOT, "%-44s %16s  %s: %s%n", name, value, target, met ? "met" : "NOT met"));
    }

    ObjectNode json() {
        ObjectNode root = JSON.createObjectNode();
        root.set("context", JSON.valueToTree(context));
        mixJson(root.putObject("mix"));
        ObjectNode ceilings = root.putObject("ceilings");
        ceilings.putObject("passthrough")
                .put("recordsPerSecond", passthrough.recordsPerSecond())
                .put("records", passthrough.records())
                .put("transactions", passthrough.transactions())
                .put("recordsPerTransaction", passthrough.recordsPerTransaction())
                .put("recordsPerTransactionAndPartition",
                        perPartitionTransaction(passthrough.records(), passthrough.markers()))
                .put("seconds", passthrough.seconds())
                .put("cpuMicrosPerRecord", micros(passthrough.cpu().cpuSeconds(), passthrough.records()))
                .put("jitShareOfCpu", passthrough.cpu().jitShare());
        ceilings.putObject("passthroughThreeRecordsPerRequest")
                .put("requestsPerSecond", threeRecordPassthrough.recordsPerSecond())
                .put("requests", threeRecordPassthrough.records())
                .put("recordsOutPerRequest", threeRecordPassthrough.recordsOut())
                .put("transactions", threeRecordPassthrough.transactions())
                .put("seconds", threeRecordPassthrough.seconds())
                .put("cpuMicrosPerRequest",
                        micros(threeRecordPassthrough.cpu().cpuSeconds(), threeRecordPassthrough.records()))
                .put("jitShareOfCpu", threeRecordPassthrough.cpu().jitShare());
        latencyJson(ceilings.putObject("passthroughLatency"), passthroughLatency);
        naiveSqliteJson(ceilings.putObject("naiveSqlite"), naiveSqlite, "prepared per use");
        naiveSqliteJson(ceilings.putObject("naiveSqliteStatementsReused"), naiveSqliteStatementsReused, "prepared once");
        root.putObject("ledgerAlone")
                .put("requestsPerSecond", ledgerAlone.requestsPerSecond())
                .put("requests", ledgerAlone.requests())
                .put("seconds", ledgerAlone.seconds())
                .put("cpuMicrosPerRequest", micros(ledgerAlone.cpu().cpuSeconds(), ledgerAlone.requests()))
                .put("jitShareOfCpu", ledgerAlone.cpu().jitShare());
        ObjectNode workerNode = root.putObject("worker")
                .put("requestsPerSecond", worker.requestsPerSecond())
                .put("requests", worker.requests())
                .put("seconds", worker.seconds())
                .put("recordsPerTransactionAndPartition", perPartitionTransaction(worker.requests(), worker.markers()))
                .put("cpuMicrosPerRequest", micros(worker.cpu().process().cpuSeconds(), worker.requests()))
                .put("jitShareOfCpu", worker.cpu().process().jitShare());
        splitJson(workerNode, worker.cpu(), worker.requests());
        ObjectNode outcomesNode = root.putObject("outcomes");
        for (RequestMix.Kind kind : RequestMix.Kind.values()) {
            ObjectNode kindNode = outcomesNode.putObject(kind.key()).put("requests", outcomes.requests(kind));
            outcomes.counts().getOrDefault(kind, Map.of()).forEach(kindNode::put);
        }
        latencyJson(root.putObject("latency"), latency);
        root.putObject("restore")
                .put("changelogRecordsPerSecond", restore.recordsPerSecond())
                .put("ledgerEntriesPerSecond", restore.entriesPerSecond())
                .put("changelogRecords", restore.changelogRecords())
                .put("ledgerEntries", restore.ledgerEntries())
                .put("seconds", restore.seconds())
                .put("cpuMicrosPerRecord", micros(restore.cpu().cpuSeconds(), restore.changelogRecords()))
                .put("jitShareOfCpu", restore.cpu().jitShare());
        root.putObject("ratios")
                .put("workerOverPassthrough", workerOverPassthrough())
                .put("workerOverThreeRecordPassthrough", workerOverThreeRecordPassthrough())
                .put("workerOverNaiveSqlite", workerOverNaiveSqlite())
                .put("workerOverNaiveSqliteStatementsReused", workerOverNaiveSqliteStatementsReused())
                .put("p99OverPassthroughMillis", p99OverPassthroughMillis());
        root.putObject("targetsMet")
                .put("workerOverPassthrough", workerOverPassthrough() >= PASSTHROUGH_RATIO_TARGET)
                .put("workerOverNaiveSqlite", workerOverNaiveSqlite() >= NAIVE_SQLITE_RATIO_TARGET)
                .put("p99Latency", latency.halfOfWorkerRate() && latency.p99Millis() <= P99_TARGET_MILLIS)
                .put("restore", restore.entriesPerSecond() >= RESTORE_TARGET_PER_SECOND);
        return root;
    }

    /** The share of fresh requests of each kind, and of duplicates among all requests. */
    static void mixJson(ObjectNode node) {
        ObjectNode shares = node.putObject("shares");
        RequestMix.shares().forEach(shares::put);
        node.put("duplicateShare", RequestMix.duplicateShare());
    }

    private static void naiveSqliteJson(ObjectNode node, NaiveSqliteCeiling.Figures naive, String statements) {
        node.put("transfersPerSecond", naive.transfersPerSecond())
                .put("transfers", naive.transfers())
                .put("seconds", naive.seconds())
                .put("statements", statements);
    }

    /** The figures of one latency measurement, the CPU of what answered it and of the broker among them. */
    static void latencyJson(ObjectNode node, LatencyProbe.Figures latency) {
        node.put("targetPerSecond", latency.targetPerSecond())
                .put("halfOfWorkerRate", latency.halfOfWorkerRate())
                .put("warmupSeconds", latency.warmupSeconds())
                .put("sentPerSecond", latency.sentPerSecond())
                .put("requests", latency.requests())
                .put("p50Millis", latency.p50Millis())
                .put("p99Millis", latency.p99Millis())
                .put("maxMillis", latency.maxMillis())
                .put("cpuMicrosPerRequest", micros(latency.cpu().process().cpuSeconds(), latency.requests()))
                .put("jitShareOfCpu", latency.cpu().process().jitShare());
        splitJson(node, latency.cpu(), latency.requests());
    }

    /** The process's CPU per request, and apart the part under test's threads' and the broker's (null where unknown). */
    static void cpuJson(ObjectNode node, CpuSplit cpu, long requests) {
        node.put("cpuMicrosPerRequest", micros(cpu.process().cpuSeconds(), requests))
                .put("jitShareOfCpu", cpu.process().jitShare());
        splitJson(node, cpu, requests);
    }

    /** ownCpuMicrosPerRequest: the worker's threads, or the passthrough's; brokerCpuMicrosPerRequest: the broker's. */
    private static void splitJson(ObjectNode node, CpuSplit cpu, long requests) {
        putOrNull(node, "ownCpuMicrosPerRequest", cpu.ownMicrosPer(requests));
        putOrNull(node, "brokerCpuMicrosPerRequest", cpu.brokerMicrosPer(requests));
    }

    private static void putOrNull(ObjectNode node, String field, OptionalDouble value) {
        if (value.isPresent()) {
            node.put(field, value.getAsDouble());
        } else {
            node.putNull(field);
        }
    }

    void writeJson(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        JSON.writeValue(file.toFile(), json());
    }
}
