package dev.economyengine.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.economyengine.app.EconomyEngine;
import dev.economyengine.docs.MarkdownTables.Table;
import dev.economyengine.http.ApiClient;
import dev.economyengine.testing.EconomyClient;
import dev.economyengine.testing.EconomyTestEnvironment;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metrics table of docs/operations.md against what a running worker's {@code /metrics} exposes: every
 * documented metric with its type and labels, every {@code economy_*} metric documented, and every metric
 * name the documents mention in the table. The worker first handles some traffic (an earn, a spend, an
 * unreadable record, a request in the wrong partition), since some series appear only with it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperationsMetricsTableTest {
    private static final Path OPERATIONS = Path.of("docs", "operations.md");
    private static final int PARTITIONS = 2;
    /** The series of a histogram family besides the family's own name. */
    private static final List<String> HISTOGRAM_SUFFIXES = List.of("_bucket", "_count", "_sum", "_max");
    private static final Pattern METRIC_IN_TEXT = Pattern.compile("\\beconomy_[a-z_]+[a-z]");

    private final Table table = MarkdownTables.of(OPERATIONS).withHeader("metric", "type", "what");
    private EconomyEngine engine;
    private EconomyClient kafka;
    private ApiClient api;

    @BeforeAll
    void startAWorkerAndSendItSomeTraffic(@TempDir Path workDir) {
        EconomyTestEnvironment environment = new EconomyTestEnvironment(workDir, PARTITIONS);
        environment.createTopics(PARTITIONS);
        engine = environment.startEngine();
        kafka = new EconomyClient(environment);
        api = new ApiClient(engine.httpUrl());
        await().atMost(EconomyClient.TIMEOUT).until(() -> engine.readiness().ready());

        kafka.earn("m1", "mia", "daily_login");
        kafka.spend("m2", "mia", 3);
        kafka.send(environment.topics().earnRequests(), "mia", "not json");
        int misrouted = (userPartition("noah") + 1) % PARTITIONS;
        kafka.sendToPartition(environment.topics().earnRequests(), misrouted, "noah",
                "{\"requestId\":\"n1\",\"userId\":\"noah\",\"action\":\"daily_login\"}");
        kafka.awaitResult("mia", "m2");
        kafka.awaitResult("noah", "n1");
        kafka.awaitDeadLetters(1);
    }

    @AfterAll
    void stop() {
        if (kafka != null) {
            kafka.close();
        }
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void everyDocumentedMetric_isExposed_withTheDocumentedTypeAndLabels() {
        await().atMost(EconomyClient.TIMEOUT).untilAsserted(() -> {
            Scrape scrape = scrape();
            List<String> differences = new ArrayList<>();
            for (Documented metric : documented()) {
                differences.addAll(differences(metric, scrape));
            }
            assertThat(differences).as("the table of %s against /metrics", OPERATIONS).isEmpty();
        });
    }

    /** How /metrics differs from one documented metric: nothing when it is exposed as documented. */
    private static List<String> differences(Documented metric, Scrape scrape) {
        if (metric.isPrefix()) {
            return scrape.types().keySet().stream().anyMatch(name -> name.startsWith(metric.name())) ? List.of()
                    : List.of("no metric named " + metric.name() + "*");
        }
        String type = scrape.types().get(metric.name());
        if (type == null) {
            return List.of(metric.name() + " is not exposed");
        }
        List<String> differences = new ArrayList<>();
        if (!type.equals(metric.type())) {
            differences.add(metric.name() + " is a " + type + ", documented as a " + metric.type());
        }
        Set<String> labels = scrape.labels(metric.name());
        if (!labels.equals(new TreeSet<>(metric.labels()))) {
            differences.add(metric.name() + " has the labels " + labels + ", documented " + metric.labels());
        }
        return differences;
    }

    @Test
    void everyEconomyMetricExposed_isDocumented() {
        Set<String> documented = new TreeSet<>(documented().stream().map(Documented::name).toList());
        Set<String> undocumented = new TreeSet<>();
        for (String name : scrape().types().keySet()) {
            boolean histogramMax = name.endsWith("_max") && documented.contains(name.substring(0, name.length() - 4));
            if (name.startsWith("economy_") && !documented.contains(name) && !histogramMax) {
                undocumented.add(name);
            }
        }

        assertThat(undocumented).as("economy_* metrics missing from the table of %s", OPERATIONS).isEmpty();
    }

    @Test
    void everyMetricTheDocumentsMention_isInTheTable() throws IOException {
        Set<String> documented = new TreeSet<>(documented().stream().map(Documented::name).toList());
        List<Path> documents = new ArrayList<>(List.of(Path.of("README.md")));
        try (Stream<Path> docs = Files.list(Path.of("docs"))) {
            docs.filter(path -> path.toString().endsWith(".md")).sorted().forEach(documents::add);
        }
        for (Path document : documents) {
            Matcher mentioned = METRIC_IN_TEXT.matcher(Files.readString(document, StandardCharsets.UTF_8));
            while (mentioned.find()) {
                assertThat(documented).as("%s names %s", document, mentioned.group())
                        .contains(withoutHistogramSuffix(mentioned.group(), documented));
            }
        }
    }

    /** A row's metrics: {@code `name{label,label}`}, or {@code `prefix_*`} for a family of the clients'. */
    private List<Documented> documented() {
        List<Documented> metrics = new ArrayList<>();
        for (Map<String, String> row : table.rows()) {
            for (String span : MarkdownTables.codeSpans(row.get("metric"))) {
                int brace = span.indexOf('{');
                String name = brace < 0 ? span : span.substring(0, brace);
                List<String> labels = brace < 0 ? List.of()
                        : List.of(span.substring(brace + 1, span.length() - 1).split(","));
                metrics.add(new Documented(name, row.get("type"), labels));
            }
        }
        return metrics;
    }

    private record Documented(String name, String type, List<String> labels) {
        boolean isPrefix() {
            return name.endsWith("*");
        }

        @Override
        public String name() {
            return isPrefix() ? name.substring(0, name.length() - 1) : name;
        }
    }

    private static String withoutHistogramSuffix(String name, Set<String> documented) {
        for (String suffix : HISTOGRAM_SUFFIXES) {
            if (name.endsWith(suffix) && documented.contains(name.substring(0, name.length() - suffix.length()))) {
                return name.substring(0, name.length() - suffix.length());
            }
        }
        return name;
    }

    private Scrape scrape() {
        HttpResponse<String> response = api.get("/metrics");
        assertThat(response.statusCode()).as("GET /metrics").isEqualTo(200);
        return Scrape.parse(response.body());
    }

    /** The Prometheus text format: each family's type, and the label names of each series name. */
    private record Scrape(Map<String, String> types, Map<String, Set<String>> labelsBySeries) {
        private static final Pattern TYPE = Pattern.compile("# TYPE (\\S+) (\\S+)");
        private static final Pattern SERIES = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? \\S+.*");
        private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"");

        static Scrape parse(String text) {
            Map<String, String> types = new HashMap<>();
            Map<String, Set<String>> labels = new HashMap<>();
            for (String line : text.split("\n")) {
                Matcher type = TYPE.matcher(line);
                Matcher series = SERIES.matcher(line);
                if (type.matches()) {
                    types.put(type.group(1), type.group(2));
                } else if (!line.startsWith("#") && series.matches()) {
                    Set<String> names = labels.computeIfAbsent(series.group(1), name -> new TreeSet<>());
                    Matcher label = LABEL.matcher(series.group(2) == null ? "" : series.group(2));
                    while (label.find()) {
                        names.add(label.group(1));
                    }
                }
            }
            return new Scrape(types, labels);
        }

        /** The labels of a family's series, a histogram's bucket bound aside. */
        Set<String> labels(String family) {
            Set<String> names = new TreeSet<>(labelsBySeries.getOrDefault(family, Set.of()));
            for (String suffix : List.of("_bucket", "_count", "_sum")) {
                names.addAll(labelsBySeries.getOrDefault(family + suffix, Set.of()));
            }
            names.remove("le");
            return names;
        }
    }

    /** The partition Kafka's Java client picks for the key: murmur2, as the worker expects. */
    private static int userPartition(String userId) {
        return Utils.toPositive(Utils.murmur2(userId.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
    }
}
