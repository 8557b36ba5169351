package dev.economyengine.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.economyengine.messaging.CommitPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The latency curve of one run ({@link LatencyCurve}): at each rate, the worker's p50, p99, max and CPU
 * per request beside the passthrough's, as one table for people and as JSON for tools. No targets: the
 * curve shows where the cost goes at each load.
 *
 * @param backlog the worker through a backlog, the reference for its CPU per request; empty if not run
 */
record CurveReport(Context context, CommitPolicy commitPolicy, Optional<WorkerThroughput.Figures> backlog,
        List<Point> points) {
    /** Below this share of its rate, the paced producer did not keep the pace, and the point is marked. */
    static final double RATE_REACHED = 0.98;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** p50, p99, max, the part's CPU and the broker's, of the worker or of the passthrough. */
    private static final String SIDE = "%8s %8s %8s %11s %14s";
    private static final int SIDE_WIDTH = String.format(Locale.ROOT, SIDE, "", "", "", "", "").length();

    /** Where and with what the run was made. */
    record Context(int cores, String java, BenchBroker.Kind broker, int partitions, int users, int maxPollRecords,
            int backlogRequests, int latencySeconds, int maxLatencyWarmupSeconds, double loadAverageAtStart,
            double loadAverageAtEnd) {}

    /** One rate: the worker's measurement and the passthrough's. */
    record Point(int requestsPerSecond, LatencyProbe.Figures worker, LatencyProbe.Figures passthrough) {
        /** Whether the paced producer kept the pace in both. */
        boolean rateReached() {
            return reached(worker) && reached(passthrough);
        }

        private static boolean reached(LatencyProbe.Figures figures) {
            return figures.sentPerSecond() >= RATE_REACHED * figures.targetPerSecond();
        }
    }

    CurveReport {
        points = List.copyOf(points);
    }

    String table() {
        StringBuilder t = new StringBuilder();
        t.append(String.format(Locale.ROOT, "Economy Engine latency curve: %d cores, Java %s, broker %s, %d partitions,"
                + " %,d users (+%d hot), max.poll.records %d%n", context.cores, context.java,
                context.broker.description(), context.partitions, context.users, RequestMix.HOT_USERS,
                context.maxPollRecords));
        t.append(String.format(Locale.ROOT, "request mix: %s%n", RequestMix.describe()));
        t.append(String.format(Locale.ROOT, "commit policy of the worker and the passthrough: %s%n",
                describe(commitPolicy)));
        t.append(String.format(Locale.ROOT, "machine load average (1 min): %.1f at the start, %.1f at the end%n",
                context.loadAverageAtStart, context.loadAverageAtEnd));
        backlog.ifPresent(figures -> t.append(String.format(Locale.ROOT, "the worker through a backlog of %,d"
                + " requests, after one unmeasured: %,.0f requests/s; CPU µs/request: worker %s, broker %s%n",
                figures.requests(), figures.requestsPerSecond(), micros(figures.cpu().ownMicrosPer(figures.requests())),
                micros(figures.cpu().brokerMicrosPer(figures.requests())))));
        t.append(String.format(Locale.ROOT, "each point: %d s measured, after a warm-up at its rate until the JIT"
                + " compilers settle (at most %d s)%n%n", context.latencySeconds, context.maxLatencyWarmupSeconds));
        t.append(String.format(Locale.ROOT, "%-10s  %-" + SIDE_WIDTH + "s  %s%n", "", "worker",
                "passthrough, 3 records per request"));
        t.append(String.format(Locale.ROOT, "%-10s  " + SIDE + "  " + SIDE + "%n", "requests/s",
                "p50 ms", "p99 ms", "max ms", "cpu µs/req", "broker µs/req",
                "p50 ms", "p99 ms", "max ms", "cpu µs/req", "broker µs/req"));
        for (Point point : points) {
            t.append(String.format(Locale.ROOT, "%10s  %s  %s%n",
                    String.format(Locale.ROOT, "%,d%s", point.requestsPerSecond(), point.rateReached() ? "" : "*"),
                    side(point.worker()), side(point.passthrough())));
        }
        t.append(String.format(Locale.ROOT, "%nms: from just before a request's send to its answer's visibility to a"
                + " read_committed reader.%ncpu: the CPU of the worker's threads (of the passthrough's) per request"
                + " measured; broker: the broker's meanwhile%s.%n",
                context.broker == BenchBroker.Kind.EXTERNAL ? " (n/a: an external broker)" : ""));
        if (points.stream().anyMatch(point -> !point.rateReached())) {
            t.append(String.format(Locale.ROOT, "*: the paced producer sent less than %.0f%% of the rate.%n",
                    RATE_REACHED * 100));
        }
        return t.toString();
    }

    private static String side(LatencyProbe.Figures figures) {
        return String.format(Locale.ROOT, SIDE, millis(figures.p50Millis()), millis(figures.p99Millis()),
                millis(figures.maxMillis()), micros(figures.cpu().ownMicrosPer(figures.requests())),
                micros(figures.cpu().brokerMicrosPer(figures.requests())));
    }

    /** For the progress lines. */
    static String summary(LatencyProbe.Figures figures) {
        return String.format(Locale.ROOT, "warm-up %d s; p50 %.1f ms, p99 %.1f ms, max %.1f ms; %s CPU µs/request,"
                + " broker %s", figures.warmupSeconds(), figures.p50Millis(), figures.p99Millis(), figures.maxMillis(),
                micros(figures.cpu().ownMicrosPer(figures.requests())),
                micros(figures.cpu().brokerMicrosPer(figures.requests())));
    }

    static String describe(CommitPolicy policy) {
        return policy.equals(CommitPolicy.EVERY_POLL)
                ? "a commit per poll"
                : String.format(Locale.ROOT, "a commit once a transaction holds %,d records or its oldest has waited"
                        + " %d ms", policy.maxRecords(), policy.maxDelay().toMillis());
    }

    private static String millis(double millis) {
        return String.format(Locale.ROOT, "%.1f", millis);
    }

    private static String micros(OptionalDouble micros) {
        return micros.isPresent() ? String.format(Locale.ROOT, "%.1f", micros.getAsDouble()) : "n/a";
    }

    ObjectNode json() {
        ObjectNode root = JSON.createObjectNode();
        root.set("context", JSON.valueToTree(context));
        BenchReport.mixJson(root.putObject("mix"));
        root.putObject("commitPolicy")
                .put("maxDelayMillis", commitPolicy.maxDelay().toNanos() / 1e6)
                .put("maxRecords", commitPolicy.maxRecords());
        if (backlog.isPresent()) {
            WorkerThroughput.Figures figures = backlog.get();
            ObjectNode node = root.putObject("backlog")
                    .put("requestsPerSecond", figures.requestsPerSecond())
                    .put("requests", figures.requests())
                    .put("seconds", figures.seconds());
            BenchReport.cpuJson(node, figures.cpu(), figures.requests());
        } else {
            root.putNull("backlog");
        }
        ArrayNode curve = root.putArray("curve");
        for (Point point : points) {
            ObjectNode node = curve.addObject().put("requestsPerSecond", point.requestsPerSecond());
            BenchReport.latencyJson(node.putObject("worker"), point.worker());
            BenchReport.latencyJson(node.putObject("passthrough"), point.passthrough());
        }
        return root;
    }

    void writeJson(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        JSON.writeValue(file.toFile(), json());
    }
}
