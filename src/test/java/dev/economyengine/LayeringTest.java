package dev.economyengine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Dependencies point inward: {@code ledger} is pure Java; {@code store} knows nothing of the layers
 * around it; {@code messaging}, {@code http} and {@code ops} know nothing of the application that wires
 * them, nor of each other beyond what they serve. {@code app} is the composition root and may use every
 * package; {@code bench} measures the application without using {@code app}, and {@code broker} uses no
 * other package. Above all, no two packages use each other, directly or through others.
 */
class LayeringTest {

    private static final Path SOURCES = Path.of("src", "main", "java", "dev", "economyengine");
    /** The client library's sources, an artifact of their own (client/pom.xml) compiled into the worker too. */
    private static final Path CLIENT_SOURCES = Path.of("client", "src", "main", "java", "dev", "economyengine", "client");
    /** What a game service that adds the client gets: the JDK, kafka-clients (and its slf4j) and Jackson. */
    private static final List<String> CLIENT_MAY_IMPORT = List.of(
            "java.", "org.apache.kafka.", "com.fasterxml.jackson.", "org.slf4j.", "dev.economyengine.client.");
    private static final Pattern IMPORT = Pattern.compile("^\\s*import\\s+(?:static\\s+)?([\\w.]+(?:\\.\\*)?)\\s*;",
            Pattern.MULTILINE);
    private static final Pattern COMMENT = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);
    /** A qualified name used in code without an import, such as {@code java.sql.Connection c}. */
    private static final Pattern OUTSIDE_NAME = Pattern.compile(
            "(?<![\\w.])(java\\.sql\\.|javax\\.|org\\.|com\\.|net\\.|jakarta\\.)");
    /** A use of another package of the project, by an import or by a full name in the code. */
    private static final Pattern PROJECT_PACKAGE = Pattern.compile("(?<![\\w.])dev\\.economyengine\\.([a-z]\\w*)\\.");

    @Test
    void ledger_importsNothingButJava() {
        List<String> violations = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (Path file : javaFiles("ledger")) {
            for (String imported : imports(file)) {
                seen.add(imported);
                if (!isPureJava(imported)) {
                    violations.add(file.getFileName() + " imports " + imported);
                }
            }
        }

        assertThat(seen).as("imports the scan found").contains("java.math.BigDecimal");
        assertThat(violations).isEmpty();
    }

    @Test
    void ledger_namesNoOutsideClassByItsFullName() {
        List<String> violations = new ArrayList<>();
        for (Path file : javaFiles("ledger")) {
            Matcher matcher = OUTSIDE_NAME.matcher(code(file));
            while (matcher.find()) {
                violations.add(file.getFileName() + " refers to " + matcher.group(1) + "...");
            }
        }

        assertThat(violations).isEmpty();
    }

    @Test
    void client_importsOnlyJavaKafkaJacksonSlf4jAndItself() {
        List<String> violations = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (Path file : javaFilesUnder(CLIENT_SOURCES)) {
            for (String imported : imports(file)) {
                seen.add(imported);
                if (CLIENT_MAY_IMPORT.stream().noneMatch(imported::startsWith)) {
                    violations.add(file.getFileName() + " imports " + imported);
                }
            }
            Matcher project = PROJECT_PACKAGE.matcher(code(file));
            while (project.find()) {
                if (!project.group(1).equals("client")) {
                    violations.add(file.getFileName() + " uses dev.economyengine." + project.group(1) + "..");
                }
            }
        }

        assertThat(seen).as("imports the scan found").anyMatch(name -> name.startsWith("org.apache.kafka."));
        assertThat(violations).isEmpty();
    }

    @Test
    void store_dependsOnNothingOutsideItAndTheLedger() {
        List<String> forbidden = List.of(
                "dev.economyengine.messaging.", "dev.economyengine.config.", "dev.economyengine.app.",
                "dev.economyengine.http.", "dev.economyengine.ops.", "dev.economyengine.bench.",
                "org.apache.kafka.");
        List<String> violations = new ArrayList<>();
        int usingLedger = 0;
        for (Path file : javaFiles("store")) {
            String code = code(file);
            if (code.contains("dev.economyengine.ledger.")) {
                usingLedger++;
            }
            for (String prefix : forbidden) {
                if (code.contains(prefix)) {
                    violations.add(file.getFileName() + " uses " + prefix + "..");
                }
            }
        }

        assertThat(usingLedger).as("store sources the scan saw using the ledger").isPositive();
        assertThat(violations).isEmpty();
    }

    @ParameterizedTest(name = "{0} does not use {1}")
    @CsvSource({
        "messaging, http", "messaging, ops", "messaging, app", "messaging, bench", "messaging, config",
        "http, app", "http, bench", "http, ops", "http, messaging",
        "wire, messaging", "wire, http", "wire, store", "wire, app",
        "ops, app", "ops, http", "ops, bench",
        "config, app", "config, messaging", "config, http", "config, store",
        "bench, app", "broker, app", "broker, bench", "broker, messaging", "broker, config",
    })
    void outerLayers_areNotUsedByInnerOnes(String layer, String outer) {
        String prefix = "dev.economyengine." + outer + ".";
        List<String> violations = new ArrayList<>();
        for (Path file : javaFiles(layer)) {
            if (code(file).contains(prefix)) {
                violations.add(file.getFileName() + " uses " + prefix + "..");
            }
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void packages_useEachOtherWithoutACycle() {
        Map<String, Map<String, Set<String>>> uses = packageUses();
        assertThat(uses.get("app")).as("packages the scan saw app use").containsKeys("messaging", "bench", "broker");

        List<String> cycles = new ArrayList<>();
        for (SortedSet<String> cycle : cyclesOf(graph(uses))) {
            List<String> edges = new ArrayList<>();
            for (String from : cycle) {
                uses.get(from).forEach((to, files) -> {
                    if (cycle.contains(to)) {
                        edges.add(from + " uses " + to + " in " + files);
                    }
                });
            }
            cycles.add(String.join(" <-> ", cycle) + ": " + String.join("; ", edges));
        }
        assertThat(cycles).isEmpty();
    }

    @Test
    void cycleFinder_findsEveryGroupOfPackagesThatReachEachOther() {
        Map<String, Set<String>> graph = Map.of(
                "a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a", "d"),
                "d", Set.of("e"), "e", Set.of("d"), "f", Set.of("a"), "g", Set.of());

        assertThat(cyclesOf(graph)).containsExactlyInAnyOrder(new TreeSet<>(Set.of("a", "b", "c")),
                new TreeSet<>(Set.of("d", "e")));
        assertThat(cyclesOf(Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of()))).isEmpty();
    }

    /** For every package of the project, the other packages it uses, each with the files that do. */
    private static Map<String, Map<String, Set<String>>> packageUses() {
        Map<String, Map<String, Set<String>>> uses = new TreeMap<>();
        try (Stream<Path> packages = Files.list(SOURCES)) {
            for (Path dir : packages.filter(Files::isDirectory).toList()) {
                String from = dir.getFileName().toString();
                Map<String, Set<String>> used = uses.computeIfAbsent(from, name -> new TreeMap<>());
                for (Path file : javaFiles(from)) {
                    Matcher matcher = PROJECT_PACKAGE.matcher(code(file));
                    while (matcher.find()) {
                        if (!matcher.group(1).equals(from)) {
                            used.computeIfAbsent(matcher.group(1), name -> new TreeSet<>())
                                    .add(file.getFileName().toString());
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return uses;
    }

    private static Map<String, Set<String>> graph(Map<String, Map<String, Set<String>>> uses) {
        Map<String, Set<String>> graph = new TreeMap<>();
        uses.forEach((from, used) -> graph.put(from, used.keySet()));
        return graph;
    }

    /** The groups of two or more packages in which each reaches every other, through its uses. */
    private static Set<SortedSet<String>> cyclesOf(Map<String, Set<String>> graph) {
        Map<String, Set<String>> reach = new HashMap<>();
        graph.keySet().forEach(node -> reach.put(node, reachable(graph, node)));
        Set<SortedSet<String>> cycles = new HashSet<>();
        for (String node : graph.keySet()) {
            SortedSet<String> group = new TreeSet<>();
            group.add(node);
            reach.get(node).stream().filter(other -> reach.getOrDefault(other, Set.of()).contains(node))
                    .forEach(group::add);
            if (group.size() > 1) {
                cycles.add(group);
            }
        }
        return cycles;
    }

    /** Every package {@code start} uses, directly or through others. */
    private static Set<String> reachable(Map<String, Set<String>> graph, String start) {
        Set<String> seen = new HashSet<>();
        Deque<String> next = new ArrayDeque<>(graph.getOrDefault(start, Set.of()));
        while (!next.isEmpty()) {
            String node = next.pop();
            if (seen.add(node)) {
                next.addAll(graph.getOrDefault(node, Set.of()));
            }
        }
        return seen;
    }

    @Test
    void importRule_tellsPureJavaFromEverythingElse() {
        assertThat(isPureJava("java.util.List")).isTrue();
        assertThat(isPureJava("java.time.*")).isTrue();
        assertThat(isPureJava("java.math.BigDecimal")).isTrue();
        assertThat(isPureJava("java.sql.Connection")).isFalse();
        assertThat(isPureJava("java.sql.*")).isFalse();
        assertThat(isPureJava("javax.sql.DataSource")).isFalse();
        assertThat(isPureJava("org.apache.kafka.clients.producer.Producer")).isFalse();
        assertThat(isPureJava("com.fasterxml.jackson.databind.ObjectMapper")).isFalse();
        assertThat(isPureJava("com.github.benmanes.caffeine.cache.Cache")).isFalse();
        assertThat(isPureJava("org.slf4j.Logger")).isFalse();
        assertThat(isPureJava("dev.economyengine.store.Ledger")).isFalse();
        assertThat(IMPORT.matcher("import static java.util.Objects.requireNonNull;").find()).isTrue();
        assertThat(OUTSIDE_NAME.matcher("java.sql.Connection connection;").find()).isTrue();
        assertThat(OUTSIDE_NAME.matcher("String s = org.slf4j.LoggerFactory.class.getName();").find()).isTrue();
        assertThat(OUTSIDE_NAME.matcher("java.util.List<String> names; record.org();").find()).isFalse();
    }

    /** The ledger may use the JDK's own packages, but not its database API. */
    private static boolean isPureJava(String imported) {
        return imported.startsWith("java.") && !imported.startsWith("java.sql.");
    }

    private static List<Path> javaFiles(String layer) {
        return javaFilesUnder(SOURCES.resolve(layer));
    }

    private static List<Path> javaFilesUnder(Path root) {
        assertThat(root).as("run from the project directory").isDirectory();
        try (Stream<Path> paths = Files.walk(root)) {
            List<Path> files = paths.filter(p -> p.toString().endsWith(".java")).sorted().toList();
            assertThat(files).as("sources of %s", root).isNotEmpty();
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> imports(Path file) {
        List<String> imports = new ArrayList<>();
        Matcher matcher = IMPORT.matcher(read(file));
        while (matcher.find()) {
            imports.add(matcher.group(1));
        }
        return imports;
    }

    /** The source without its comments, which may mention other layers freely. */
    private static String code(Path file) {
        return COMMENT.matcher(read(file)).replaceAll(" ");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
