package dev.economyengine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What docker-compose.yml and the Dockerfile must keep true, read from the files themselves (no Docker
 * engine runs here): the broker's changelog and the worker's shards outlive a recreated container, the
 * worker keeps its transactional.id, says when it is ready, and does not run as root.
 */
class DeploymentFilesTest {
    private static final Path COMPOSE_FILE = Path.of("docker-compose.yml");
    private static final Path DOCKERFILE = Path.of("Dockerfile");

    private static JsonNode compose;
    private static List<Instruction> workerImage;

    @BeforeAll
    static void readTheFiles() throws IOException {
        compose = new YAMLMapper().readTree(COMPOSE_FILE.toFile());
        workerImage = finalStage(Files.readString(DOCKERFILE));
    }

    @Test
    void kafka_writesItsLogDirectoriesOnItsVolume() {
        JsonNode kafka = service("kafka");
        String logDirs = environment(kafka).get("KAFKA_LOG_DIRS");

        assertThat(logDirs).as("KAFKA_LOG_DIRS (else the image writes to /tmp/kraft-combined-logs)").isNotBlank();
        List<Path> mounts = namedVolumeMounts(kafka);
        for (String logDir : logDirs.split(",")) {
            assertThat(mounts).as("a named volume holding %s", logDir)
                    .anySatisfy(mount -> assertThat(Path.of(logDir.trim())).startsWithRaw(mount));
        }
    }

    @Test
    void worker_hasAStableHostName_forItsTransactionalId() {
        assertThat(service("worker").path("hostname").asText()).isNotBlank();
    }

    @Test
    void worker_hasAHealthCheckOnReadiness_atItsOwnPort() {
        JsonNode worker = service("worker");
        String port = environment(worker).getOrDefault("ECONOMY_HTTP_PORT", "8080");

        assertThat(String.join(" ", command(worker.path("healthcheck").path("test"))))
                .containsPattern("http://(localhost|127\\.0\\.0\\.1):" + port + "/health/ready\\b");
    }

    @Test
    void worker_keepsItsDataOnItsVolume() {
        JsonNode worker = service("worker");
        String dataDir = environment(worker).get("ECONOMY_DATA_DIR");

        assertThat(dataDir).isNotBlank();
        assertThat(namedVolumeMounts(worker)).anySatisfy(mount -> assertThat(Path.of(dataDir)).startsWithRaw(mount));
    }

    @Test
    void workerImage_hasTheProgramOfItsHealthCheck() {
        List<String> test = command(service("worker").path("healthcheck").path("test"));
        assertThat(test).as("the health check's test").hasSizeGreaterThan(1);
        String program = test.get(0).equals("CMD") ? test.get(1) : test.get(1).strip().split("\\s+")[0];

        assertThat(workerImage).as("the final stage installs %s", program)
                .anySatisfy(instruction -> {
                    assertThat(instruction.keyword()).isEqualTo("RUN");
                    assertThat(instruction.arguments()).containsPattern("install\\b[^&;|]*\\b" + program + "\\b");
                });
    }

    @Test
    void workerImage_runsAsAUserOtherThanRoot_whoOwnsTheDataDirectory() {
        String user = last("USER").orElseThrow(() -> new AssertionError("the final stage has no USER")).split(":")[0];
        String dataDir = imageEnvironment().get("ECONOMY_DATA_DIR");

        assertThat(user).isNotIn("root", "0");
        assertThat(dataDir).as("ENV ECONOMY_DATA_DIR").isNotBlank();
        Pattern chown = Pattern.compile("chown\\s+(?:-\\S+\\s+)*" + Pattern.quote(user) + "(?::\\S+)?\\s+(?:\\S+\\s+)*"
                + Pattern.quote(dataDir) + "(?:\\s|$)");
        int owned = indexOf(instruction -> instruction.keyword().equals("RUN")
                && chown.matcher(instruction.arguments()).find());
        assertThat(owned).as("a RUN that gives %s to %s", dataDir, user).isNotNegative();
        int volume = indexOf(instruction -> instruction.keyword().equals("VOLUME")
                && instruction.arguments().contains(dataDir));
        if (volume >= 0) {
            // A build may discard what later steps change in a volume's directory; a new volume takes its owner.
            assertThat(owned).as("the chown comes before VOLUME").isLessThan(volume);
        }
    }

    @Test
    void dockerfileReader_joinsContinuedLinesAndKeepsOnlyTheFinalStage() {
        List<Instruction> stage = finalStage("""
                FROM maven AS build
                USER builder
                FROM eclipse-temurin:17-jre
                # a comment \\
                RUN apt-get update \\
                    && apt-get install -y curl
                USER economy
                """);

        assertThat(stage).containsExactly(new Instruction("RUN", "apt-get update     && apt-get install -y curl"),
                new Instruction("USER", "economy"));
    }

    private static JsonNode service(String name) {
        JsonNode service = compose.path("services").path(name);
        assertThat(service.isObject()).as("service %s in %s", name, COMPOSE_FILE).isTrue();
        return service;
    }

    /** A service's environment, written as a map or as a list of NAME=value. */
    private static Map<String, String> environment(JsonNode service) {
        Map<String, String> environment = new LinkedHashMap<>();
        JsonNode node = service.path("environment");
        if (node.isObject()) {
            node.properties().forEach(entry -> environment.put(entry.getKey(), entry.getValue().asText()));
        } else {
            node.forEach(entry -> {
                String[] parts = entry.asText().split("=", 2);
                environment.put(parts[0], parts.length > 1 ? parts[1] : "");
            });
        }
        return environment;
    }

    /** Where the service mounts volumes declared under the top-level {@code volumes:}, in short or long syntax. */
    private static List<Path> namedVolumeMounts(JsonNode service) {
        List<Path> mounts = new ArrayList<>();
        for (JsonNode volume : service.path("volumes")) {
            String source;
            String target;
            if (volume.isTextual()) {
                String[] parts = volume.asText().split(":");
                source = parts.length > 1 ? parts[0] : "";
                target = parts.length > 1 ? parts[1] : parts[0];
            } else {
                source = volume.path("source").asText();
                target = volume.path("target").asText();
            }
            if (compose.path("volumes").has(source)) {
                mounts.add(Path.of(target));
            }
        }
        return mounts;
    }

    /** A health check's test, as a list (["CMD", ...] or ["CMD-SHELL", "..."]) or a shell string. */
    private static List<String> command(JsonNode test) {
        if (test.isTextual()) {
            return List.of("CMD-SHELL", test.asText());
        }
        return StreamSupport.stream(test.spliterator(), false).map(JsonNode::asText).toList();
    }

    private static Optional<String> last(String keyword) {
        return workerImage.stream().filter(instruction -> instruction.keyword().equals(keyword))
                .reduce((first, second) -> second).map(Instruction::arguments);
    }

    /** The final stage's ENV, in the form {@code ENV NAME=value} (one variable per instruction). */
    private static Map<String, String> imageEnvironment() {
        Map<String, String> environment = new LinkedHashMap<>();
        Pattern assignment = Pattern.compile("^(\\w+)=(\\S+)$");
        for (Instruction instruction : workerImage) {
            Matcher matcher = assignment.matcher(instruction.arguments());
            if (instruction.keyword().equals("ENV") && matcher.matches()) {
                environment.put(matcher.group(1), matcher.group(2));
            }
        }
        return environment;
    }

    private static int indexOf(Predicate<Instruction> wanted) {
        for (int i = 0; i < workerImage.size(); i++) {
            if (wanted.test(workerImage.get(i))) {
                return i;
            }
        }
        return -1;
    }

    /** One Dockerfile instruction, its continued lines joined. */
    record Instruction(String keyword, String arguments) {}

    /** The instructions after the last FROM: what the image that runs is made of. */
    private static List<Instruction> finalStage(String dockerfile) {
        List<Instruction> stage = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        for (String line : dockerfile.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && pending.length() == 0)) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                pending.append(line, 0, line.lastIndexOf('\\'));
                continue;
            }
            pending.append(line);
            String[] parts = pending.toString().strip().split("\\s+", 2);
            pending.setLength(0);
            if (parts[0].equalsIgnoreCase("FROM")) {
                stage.clear();
            } else {
                stage.add(new Instruction(parts[0].toUpperCase(Locale.ROOT), parts.length > 1 ? parts[1] : ""));
            }
        }
        return stage;
    }
}
