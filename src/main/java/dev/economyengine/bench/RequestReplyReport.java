package dev.economyengine.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The round trips of one {@code bench --request-reply} run ({@link RequestReply}): each path's p50, p99
 * and max, and how much each asks above the plain Kafka path, measured at the same rate in the same run.
 */
record RequestReplyReport(Context context, List<RequestReply.Path> paths) {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Where and with what the run was made. */
    record Context(int cores, String java, BenchBroker.Kind broker, int partitions, int users, int requestsPerSecond,
            int latencySeconds, int maxLatencyWarmupSeconds, double loadAverageAtStart, double loadAverageAtEnd) {}

    RequestReplyReport {
        paths = List.copyOf(paths);
        if (paths.isEmpty() || !paths.get(0).name().equals("kafka")) {
            throw new IllegalArgumentException("the plain Kafka path comes first: the others are compared with it");
        }
    }

    String table() {
        StringBuilder t = new StringBuilder();
        t.append(String.format(Locale.ROOT, "Economy Engine request/reply: %d cores, Java %s, broker %s, %d partitions,"
                + " spends of 1 coin by %,d users at %,d requests/s on each path%n", context.cores, context.java,
                context.broker.description(), context.partitions, context.users, context.requestsPerSecond));
        t.append(String.format(Locale.ROOT, "machine load average (1 min): %.1f at the start, %.1f at the end%n",
                context.loadAverageAtStart, context.loadAverageAtEnd));
        t.append(String.format(Locale.ROOT, "each path: %d s measured, after a warm-up at its rate until the JIT"
                + " compilers settle (at most %d s)%n%n", context.latencySeconds, context.maxLatencyWarmupSeconds));
        t.append(String.format(Locale.ROOT, "%-8s %-42s %8s %8s %8s %12s %12s%n", "path", "", "p50 ms", "p99 ms",
                "max ms", "p50 above", "p99 above"));
        LatencyProbe.Figures plain = paths.get(0).figures();
        for (RequestReply.Path path : paths) {
            LatencyProbe.Figures f = path.figures();
            boolean isPlain = path == paths.get(0);
            t.append(String.format(Locale.ROOT, "%-8s %-42s %8.1f %8.1f %8.1f %12s %12s%n", path.name(),
                    path.description(), f.p50Millis(), f.p99Millis(), f.maxMillis(),
                    isPlain ? "" : String.format(Locale.ROOT, "%+.1f", f.p50Millis() - plain.p50Millis()),
                    isPlain ? "" : String.format(Locale.ROOT, "%+.1f", f.p99Millis() - plain.p99Millis())));
        }
        t.append(String.format(Locale.ROOT, "%nms: from just before a request's send to its answer: the result's"
                + " visibility to a read_committed reader (kafka), the future's completion (client), the response"
                + " (http).%nabove: ms above the plain Kafka path at the same rate.%n"));
        return t.toString();
    }

    ObjectNode json() {
        ObjectNode root = JSON.createObjectNode();
        root.set("context", JSON.valueToTree(context));
        ArrayNode list = root.putArray("paths");
        for (RequestReply.Path path : paths) {
            ObjectNode node = list.addObject().put("path", path.name()).put("description", path.description());
            BenchReport.latencyJson(node, path.figures());
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
