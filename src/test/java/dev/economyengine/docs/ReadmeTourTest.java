package dev.economyengine.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.economyengine.app.EconomyEngine;
import dev.economyengine.config.ConfigLoader;
import dev.economyengine.http.ApiClient;
import dev.economyengine.testing.Json;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's five-minute tour, done as a newcomer would: a worker started with the defaults (its
 * embedded broker and default topics; free ports instead of 9092 and 8080), the kcat requests published
 * to the partitions kcat's own partitioner picks, the Java producer run as it is printed, and every
 * {@code curl} line's URL asked of the worker.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReadmeTourTest {
    private static final Path README = Path.of("README.md");
    private static final Path EXAMPLE = Path.of("src", "test", "java", "dev", "economyengine", "docs",
            "ProducerExample.java");
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern CODE_BLOCK = Pattern.compile("```(\\w*)\\n(.*?)```", Pattern.DOTALL);
    /** {@code echo 'key|value' | kcat -P -b <broker> -t <topic> -K '|'}, continuation lines joined. */
    private static final Pattern KCAT_PRODUCE =
            Pattern.compile("echo '([^|']+)\\|([^']*)' +\\| *kcat -P -b \\S+ -t (\\S+) -K '\\|'");
    private static final Pattern CURL = Pattern.compile("curl (?:-\\S+ )*(\\S+)(?:\\s+#\\s*(.*))?");
    /** {@code curl -H 'Authorization: Bearer <token>' -d '<body>' <url>  # <some fields of the answer>}. */
    private static final Pattern CURL_WRITE = Pattern.compile(
            "curl -H 'Authorization: Bearer ([^']+)' -d '([^']*)' +(\\S+)(?:\\s+#\\s*(.*))?");
    /** The tour's restart with a write token: {@code ECONOMY_HTTP_WRITE_TOKEN=<token> java -jar ...}. */
    private static final Pattern START_WITH_WRITE_TOKEN = Pattern.compile("ECONOMY_HTTP_WRITE_TOKEN=(\\S+) java -jar .*");

    private String readme;
    private EconomyEngine engine;
    private ApiClient api;
    private final Map<String, JsonNode> resultsByRequestId = new HashMap<>();
    private final Map<String, HttpResponse<String>> writeAnswersByLine = new LinkedHashMap<>();

    @BeforeAll
    void startAsTheTourDoes_andSendItsRequests(@TempDir Path workDir) throws Exception {
        readme = Files.readString(README, StandardCharsets.UTF_8);
        Path configFile = workDir.resolve("economy.properties");
        Files.writeString(configFile, "# the tour runs on the defaults\n");
        engine = EconomyEngine.start(ConfigLoader.load(Map.of(
                "ECONOMY_CONFIG", configFile.toString(),
                "ECONOMY_DATA_DIR", workDir.resolve("data").toString(),
                // Free ports, where the tour shows ECONOMY_EMBEDDED_KAFKA_PORT and ECONOMY_HTTP_PORT.
                "ECONOMY_EMBEDDED_KAFKA_PORT", "0",
                "ECONOMY_HTTP_PORT", "0",
                "ECONOMY_HTTP_HOST", "127.0.0.1",
                // The token the tour restarts the worker with, for its HTTP writes.
                "ECONOMY_HTTP_WRITE_TOKEN", tourWriteToken())));
        api = new ApiClient(engine.httpUrl());
        await().atMost(TIMEOUT).until(() -> engine.readiness().ready());

        List<KcatRequest> kcatRequests = kcatRequests();
        publishAsKcatWould(kcatRequests);
        ProducerExample.main(new String[] {engine.bootstrapServers()});
        awaitResults(List.of("login-2026-11-24", "order-5531", "match-981-win", "order-7702"));
        sendTheCurlWrites();
    }

    @AfterAll
    void stop() {
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void theJavaProducerTheReadmeLinks_isTheExampleThisTestRuns() throws IOException {
        String readme = Files.readString(README, StandardCharsets.UTF_8);

        assertThat(EXAMPLE).exists();
        assertThat(readme).as("the README's link to the producer example")
                .contains("](" + EXAMPLE.toString().replace('\\', '/') + ")");
    }

    @Test
    void theKcatRequests_areTheOnesThisTestPublishes() {
        assertThat(kcatRequests()).extracting(KcatRequest::topic)
                .containsExactly("economy.earn.requests", "economy.spend.requests");
    }

    @Test
    void everyRequestOfTheTour_isAccepted() {
        assertThat(resultsByRequestId.values()).allSatisfy(result -> {
            assertThat(result.get("status").asText()).as(result.toString()).isEqualTo("ACCEPTED");
            assertThat(result.get("duplicate").asBoolean()).as(result.toString()).isFalse();
        });
        assertThat(resultsByRequestId.get("order-5531").get("balance").asLong()).as("alice after her spend").isEqualTo(6);
        assertThat(resultsByRequestId.get("order-7702").get("balance").asLong()).as("bob after his spend").isEqualTo(70);
    }

    @Test
    void everyCurlLine_answers200_withTheBodyItsCommentShows() {
        List<String> curlLines = shellLines().stream()
                .filter(line -> line.startsWith("curl ") && !CURL_WRITE.matcher(line).matches())
                .toList();
        assertThat(curlLines).as("the tour's curl lines").isNotEmpty();
        List<String> differences = new ArrayList<>();
        for (String line : curlLines) {
            Matcher curl = CURL.matcher(line);
            assertThat(curl.matches()).as("a curl line with a URL: %s", line).isTrue();
            String path = curl.group(1).replaceFirst("^(https?://)?localhost:\\d+", "");

            HttpResponse<String> response = api.get(path);

            String comment = curl.group(2);
            if (response.statusCode() != 200) {
                differences.add("GET " + path + " answered " + response.statusCode() + ": " + response.body());
            } else if (comment != null && comment.startsWith("{")
                    && !json(response.body()).equals(json(comment))) {
                differences.add("GET " + path + " answered " + response.body() + ", the README shows " + comment);
            }
        }
        assertThat(differences).as("the README's curl lines against a running worker").isEmpty();
    }

    @Test
    void everyCurlWrite_answers200_withTheFieldsItsCommentShows() {
        assertThat(writeAnswersByLine).as("the tour's curl writes").hasSize(2);
        List<String> differences = new ArrayList<>();
        writeAnswersByLine.forEach((line, response) -> {
            Matcher curl = CURL_WRITE.matcher(line);
            assertThat(curl.matches()).isTrue();
            String comment = curl.group(4);
            if (response.statusCode() != 200) {
                differences.add(line + " answered " + response.statusCode() + ": " + response.body());
            } else if (comment == null || !comment.startsWith("{")) {
                differences.add(line + " shows no answer");
            } else {
                JsonNode answer = json(response.body());
                json(comment).properties().forEach(field -> {
                    if (!field.getValue().equals(answer.get(field.getKey()))) {
                        differences.add(line + " answered " + response.body() + ", the README shows " + comment);
                    }
                });
            }
        });
        assertThat(differences).as("the README's curl writes against a worker with its write token").isEmpty();
    }

    /** Sends each write of the tour, in the README's order, as curl would (a form content type included). */
    private void sendTheCurlWrites() {
        for (String line : shellLines()) {
            Matcher curl = CURL_WRITE.matcher(line);
            if (curl.matches()) {
                String path = curl.group(3).replaceFirst("^(https?://)?localhost:\\d+", "");
                writeAnswersByLine.put(line, api.send("POST", path, curl.group(2),
                        "Authorization", "Bearer " + curl.group(1),
                        "Content-Type", "application/x-www-form-urlencoded"));
            }
        }
    }

    private String tourWriteToken() {
        return shellLines().stream()
                .map(START_WITH_WRITE_TOKEN::matcher)
                .filter(Matcher::matches)
                .map(start -> start.group(1))
                .findFirst()
                .orElseThrow(() -> new AssertionError("the tour restarts the worker with ECONOMY_HTTP_WRITE_TOKEN"));
    }

    private static JsonNode json(String text) {
        return Json.parse(text.getBytes(StandardCharsets.UTF_8));
    }

    private record KcatRequest(String key, String value, String topic) {}

    private List<KcatRequest> kcatRequests() {
        List<KcatRequest> requests = new ArrayList<>();
        for (String line : shellLines()) {
            Matcher kcat = KCAT_PRODUCE.matcher(line);
            if (kcat.matches()) {
                requests.add(new KcatRequest(kcat.group(1), kcat.group(2), kcat.group(3)));
            }
        }
        return requests;
    }

    /**
     * Publishes each record to the partition kcat would: librdkafka's default partitioner
     * (consistent_random) takes the CRC-32 of the key, not the Java client's murmur2.
     */
    private void publishAsKcatWould(List<KcatRequest> requests) throws InterruptedException, ExecutionException {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, engine.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
            for (KcatRequest request : requests) {
                CRC32 crc = new CRC32();
                crc.update(request.key().getBytes(StandardCharsets.UTF_8));
                int partition = (int) (crc.getValue() % producer.partitionsFor(request.topic()).size());
                producer.send(new ProducerRecord<>(request.topic(), partition, request.key(), request.value())).get();
            }
        }
    }

    /** Reads the results topic read_committed, as the tour's kcat -C line does, until every request is answered. */
    private void awaitResults(List<String> requestIds) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, engine.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class))) {
            List<TopicPartition> partitions = consumer.partitionsFor("economy.results").stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            await().atMost(TIMEOUT).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    JsonNode result = json(record.value());
                    resultsByRequestId.put(result.get("requestId").asText(), result);
                }
                return resultsByRequestId.keySet().containsAll(requestIds);
            });
        }
    }

    private List<String> codeBlocks(String language) {
        List<String> blocks = new ArrayList<>();
        Matcher block = CODE_BLOCK.matcher(readme);
        while (block.find()) {
            if (block.group(1).equals(language)) {
                blocks.add(block.group(2));
            }
        }
        return blocks;
    }

    /** The commands of the README's shell blocks, a line continued with a backslash joined to the next. */
    private List<String> shellLines() {
        List<String> lines = new ArrayList<>();
        for (String block : codeBlocks("sh")) {
            String joined = block.replaceAll("\\\\\\n\\s*", "");
            for (String line : joined.split("\n")) {
                if (!line.isBlank() && !line.strip().startsWith("#")) {
                    lines.add(line.strip());
                }
            }
        }
        return lines;
    }
}
