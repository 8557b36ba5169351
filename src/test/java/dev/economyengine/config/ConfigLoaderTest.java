package dev.economyengine.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.economyengine.messaging.WorkerOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every test names its configuration file through ECONOMY_CONFIG, so that a
 * {@code config/economy.properties} in the working directory never leaks in.
 */
class ConfigLoaderTest {

    @TempDir
    Path dir;

    private Path file;
    private final Map<String, String> env = new HashMap<>();

    @BeforeEach
    void emptyConfigurationFile() throws IOException {
        file = Files.writeString(dir.resolve("economy.properties"), "");
        env.put("ECONOMY_CONFIG", file.toString());
    }

    @Test
    void load_withNothingSet_usesTheDefaults() {
        EconomyConfig config = ConfigLoader.load(env);

        assertThat(config.bootstrapServers()).isEmpty(); // the embedded broker
        assertThat(config.embeddedKafkaPort()).isEqualTo(9092);
        assertThat(config.dataDir()).isEqualTo(Path.of("./data"));
        assertThat(config.groupId()).isEqualTo("economy-engine");
        assertThat(config.topics().earnRequests()).isEqualTo("economy.earn.requests");
        assertThat(config.topics().spendRequests()).isEqualTo("economy.spend.requests");
        assertThat(config.topics().results()).isEqualTo("economy.results");
        assertThat(config.topics().balanceChanged()).isEqualTo("economy.balance-changed");
        assertThat(config.topics().dlq()).isEqualTo("economy.dlq");
        assertThat(config.balanceCacheTtl()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.topicPartitions()).isEqualTo(4);
        assertThat(config.pollTimeout()).isEqualTo(Duration.ofMillis(100));
        assertThat(config.mergeMaxWait()).isEqualTo(Duration.ofMillis(20));
        assertThat(config.maxBatchRecords()).isEqualTo(5000);
        assertThat(config.workerThreads()).isEqualTo(1);
        assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.kafka()).isEmpty();
        assertThat(config.consumerProperties()).isEmpty();
        assertThat(config.producerProperties()).isEmpty();
        assertThat(config.adminProperties()).isEmpty();
    }

    @Test
    void replyTopicPattern_byDefault_allowsEconomyRepliesTopicsOnly() {
        Pattern pattern = ConfigLoader.load(env).replyTopicPattern();

        assertThat(pattern.pattern()).isEqualTo(WorkerOptions.DEFAULT_REPLY_TOPIC_PATTERN.pattern());
        assertThat(pattern.matcher("economy.replies.shop-1").matches()).isTrue();
        assertThat(pattern.matcher("economy.replies.").matches()).isFalse();
        assertThat(pattern.matcher("economyXreplies.shop").matches()).isFalse();
        assertThat(pattern.matcher("my.economy.replies.shop").matches()).as("matched in full").isFalse();
    }

    @Test
    void replyTopicPattern_fromEnvironment_isHonoured() {
        env.put("ECONOMY_REPLY_TOPIC_PATTERN", "shop\\.answers\\.[a-z]+");

        assertThat(ConfigLoader.load(env).replyTopicPattern().matcher("shop.answers.eu").matches()).isTrue();
    }

    @Test
    void replyTopicPattern_inTheFile_withItsBackslashesWrittenTwice_isTheDefault() throws IOException {
        writeFile("reply.topic-pattern=economy\\\\.replies\\\\..+\n");

        assertThat(ConfigLoader.load(env).replyTopicPattern().pattern())
                .isEqualTo(WorkerOptions.DEFAULT_REPLY_TOPIC_PATTERN.pattern());
    }

    @ParameterizedTest(name = "''{0}'' is refused")
    @ValueSource(strings = {"economy\\.replies\\.(", "[a-", "*", " "})
    void replyTopicPattern_thatIsNoRegularExpression_isRefusedNamingKeyAndVariable(String pattern) {
        env.put("ECONOMY_REPLY_TOPIC_PATTERN", pattern);

        assertThatThrownBy(() -> ConfigLoader.load(env))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("reply.topic-pattern")
                .hasMessageContaining("ECONOMY_REPLY_TOPIC_PATTERN");
    }

    @Test
    void shutdownTimeout_fromEnvironmentOrFile_isHonoured() throws IOException {
        writeFile("shutdown.timeout.ms=5000\n");
        assertThat(ConfigLoader.load(env).shutdownTimeout()).isEqualTo(Duration.ofSeconds(5));

        env.put("ECONOMY_SHUTDOWN_TIMEOUT_MS", "2500");
        assertThat(ConfigLoader.load(env).shutdownTimeout()).isEqualTo(Duration.ofMillis(2500));
    }

    @Test
    void load_withNoRulesFileSet_usesTheShippedEconomyFileOfTheWorkingDirectory() {
        // Tests run in the project directory, which holds config/economy.json.
        EconomyConfig config = ConfigLoader.load(env);

        assertThat(config.rulesFile()).contains(Path.of("config", "economy.json"));
    }

    @Test
    void defaultRulesFile_isTheEconomyFile_elseAnEarlierInstallationsRulesFile_elseNone() throws IOException {
        Path installation = Files.createDirectories(dir.resolve("installation").resolve("config")).getParent();
        assertThat(ConfigLoader.defaultRulesFile(installation)).isEmpty();

        Path earlier = Files.writeString(installation.resolve("config/earning-rules.json"), "{}");
        assertThat(ConfigLoader.defaultRulesFile(installation)).contains(earlier);

        Path economy = Files.writeString(installation.resolve("config/economy.json"), "{}");
        assertThat(ConfigLoader.defaultRulesFile(installation)).contains(economy);
    }

    @Test
    void bootstrapServers_fromEnvironment_isHonoured() {
        env.put("ECONOMY_BOOTSTRAP_SERVERS", "broker-1:9093,broker-2:9093");

        assertThat(ConfigLoader.load(env).bootstrapServers()).contains("broker-1:9093,broker-2:9093");
    }

    @Test
    void embeddedKafkaPort_fromEnvironment_isHonoured() {
        env.put("ECONOMY_EMBEDDED_KAFKA_PORT", "19092");

        assertThat(ConfigLoader.load(env).embeddedKafkaPort()).isEqualTo(19092);
    }

    @Test
    void dataDir_fromEnvironment_isHonoured() {
        env.put("ECONOMY_DATA_DIR", "/var/lib/economy");

        assertThat(ConfigLoader.load(env).dataDir()).isEqualTo(Path.of("/var/lib/economy"));
    }

    @Test
    void rulesFile_fromEnvironment_isHonoured() {
        env.put("ECONOMY_RULES_FILE", "/etc/economy/rules.json");

        assertThat(ConfigLoader.load(env).rulesFile()).contains(Path.of("/etc/economy/rules.json"));
    }

    @Test
    void groupId_fromEnvironment_isHonoured() {
        env.put("ECONOMY_GROUP_ID", "economy-eu");

        assertThat(ConfigLoader.load(env).groupId()).isEqualTo("economy-eu");
    }

    @Test
    void keysWithDashes_fromEnvironment_useUnderscores() {
        env.put("ECONOMY_TOPIC_EARN_REQUESTS", "eu.earn");
        env.put("ECONOMY_MERGE_MAX_WAIT_MS", "0");
        env.put("ECONOMY_CACHE_TTL_MS", "1500");

        EconomyConfig config = ConfigLoader.load(env);

        assertThat(config.topics().earnRequests()).isEqualTo("eu.earn");
        assertThat(config.mergeMaxWait()).isZero();
        assertThat(config.balanceCacheTtl()).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void environmentValues_areTrimmed() {
        env.put("ECONOMY_GROUP_ID", "  economy-eu \t");
        env.put("ECONOMY_EMBEDDED_KAFKA_PORT", " 19092 ");

        EconomyConfig config = ConfigLoader.load(env);

        assertThat(config.groupId()).isEqualTo("economy-eu");
        assertThat(config.embeddedKafkaPort()).isEqualTo(19092);
    }

    @Test
    void file_values_areHonoured() throws IOException {
        writeFile("""
                # a comment
                bootstrap.servers = kafka.internal:9092
                group.id=economy-file
                topic.dlq=ops.dlq
                batch.max-records=250
                worker.threads=3
                """);

        EconomyConfig config = ConfigLoader.load(env);

        assertThat(config.bootstrapServers()).contains("kafka.internal:9092");
        assertThat(config.groupId()).isEqualTo("economy-file");
        assertThat(config.topics().dlq()).isEqualTo("ops.dlq");
        assertThat(config.maxBatchRecords()).isEqualTo(250);
        assertThat(config.workerThreads()).isEqualTo(3);
    }

    @Test
    void environment_overridesTheFile() throws IOException {
        writeFile("""
                group.id=from-file
                data.dir=/from/file
                embedded.kafka.port=1111
                """);
        env.put("ECONOMY_GROUP_ID", "from-env");
        env.put("ECONOMY_EMBEDDED_KAFKA_PORT", "2222");

        EconomyConfig config = ConfigLoader.load(env);

        assertThat(config.groupId()).isEqualTo("from-env");
        assertThat(config.embeddedKafkaPort()).isEqualTo(2222);
        assertThat(config.dataDir()).isEqualTo(Path.of("/from/file"));
    }

    @Test
    void configFile_thatDoesNotExist_isRefusedNamingEconomyConfig() {
        Path missing = dir.resolve("nope.properties");
        env.put("ECONOMY_CONFIG", missing.toString());

        assertThatThrownBy(() -> ConfigLoader.load(env))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("ECONOMY_CONFIG")
                .hasMessageContaining(missing.toString());
    }

    @Test
    void configFile_withAnUnknownKey_isRefusedNamingTheKey() throws IOException {
        writeFile("""
                group.id=economy
                grup.id=typo
                """);

        assertThatThrownBy(() -> ConfigLoader.load(env))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("grup.id")
                .hasMessageContaining(file.toString());
    }

    @Test
    void configFile_withAnEnvironmentVariableNameAsKey_isRefusedNamingTheKey() throws IOException {
        writeFile("ECONOMY_GROUP_ID=economy\n");

        assertThatThrownBy(() -> ConfigLoader.load(env))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("ECONOMY_GROUP_ID");
    }

    @Test
    void configFile_thatIsMalformed_isRefusedNamingTheFile() throws IOException {
        writeFile("group.id=bad\\uZZZZescape\n");

        assertThatThrownBy(() -> ConfigLoader.load(env))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(file.toString());
    }

    @ParameterizedTest(name = "{0}={2} is refused")
    @CsvSource({
        "embedded.kafka.port, ECONOMY_EMBEDDED_KAFKA_PORT, abc",
        "embedded.kafka.port, ECONOMY_EMBEDDED_KAFKA_PORT, 70000",
        "embedded.kafka.port, ECONOMY_EMBEDDED_KAFKA_PORT, 65536",
        "embedded.kafka.port, ECONOMY_EMBEDDED_KAFKA_PORT, -1",
        "embedded.kafka.port, ECONOMY_EMBEDDED_KAFKA_PORT, 9092.0",
        "embedded.kafka.port, ECONOMY_EMBEDDED_KAFKA_PORT, 99999999999",
        "embedded.kafka.port, ECONOMY_EMBEDDED_KAFKA_PORT, ''",
        "poll.timeout.ms, ECONOMY_POLL_TIMEOUT_MS, 0",
        "poll.timeout.ms, ECONOMY_POLL_TIMEOUT_MS, 60001",
        "topic.partitions, ECONOMY_TOPIC_PARTITIONS, 0",
        "merge.max-wait.ms, ECONOMY_MERGE_MAX_WAIT_MS, -1",
        "batch.max-records, ECONOMY_BATCH_MAX_RECORDS, 0",
        "batch.max-records, ECONOMY_BATCH_MAX_RECORDS, 1e3",
        "worker.threads, ECONOMY_WORKER_THREADS, 0",
        "worker.threads, ECONOMY_WORKER_THREADS, 1001",
        "cache.ttl.ms, ECONOMY_CACHE_TTL_MS, 0",
        "cache.ttl.ms, ECONOMY_CACHE_TTL_MS, 60s",
        "shutdown.timeout.ms, ECONOMY_SHUTDOWN_TIMEOUT_MS, 0",
        "shutdown.timeout.ms, ECONOMY_SHUTDOWN_TIMEOUT_MS, -1",
        "shutdown.timeout.ms, ECONOMY_SHUTDOWN_TIMEOUT_MS, 30s",
    })
    void number_outOfRangeOrNotANumber_fromEnvironment_isRefusedNamingKeyAndVariable(
            String key, String variable, String value) {
        env.put(variable, value);

        assertThatThrownBy(() -> ConfigLoader.load(env))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(key)
                .hasMessageContaining(variable);
    }

    @ParameterizedTest(name = "{0}={2} in the file is refused")
    @CsvSource({
        "embedded.kafka.port, ECONOMY_EMBEDDED_KAFKA_PORT, abc",
        "embedded.kafka.port, ECONOMY_EMBEDDED_KAFKA_PORT, 70000",
        "poll.timeout.ms, ECONOMY_POLL_TIMEOUT_MS, 0",
    })
    void number_outOfRangeOrNotANumber_inTheFile_isRefusedNamingKeyAndVariable(
            String key, String variable, String value) throws IOException {
        writeFile(key + "=" + value + "\n");

        assertThatThrownBy(() -> ConfigLoader.load(env))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(key)
                .hasMessageContaining(variable);
    }

    @ParameterizedTest(name = "{0} at its limit {2} is accepted")
    @CsvSource({
        "embedded.kafka.port, ECONOMY_EMBEDDED_KAFKA_PORT, 0",
        "embedded.kafka.port, ECONOMY_EMBEDDED_KAFKA_PORT, 65535",
        "poll.timeout.ms, ECONOMY_POLL_TIMEOUT_MS, 1",
        "poll.timeout.ms, ECONOMY_POLL_TIMEOUT_MS, 60000",
        "merge.max-wait.ms, ECONOMY_MERGE_MAX_WAIT_MS, 0",
        "topic.partitions, ECONOMY_TOPIC_PARTITIONS, 1",
        "worker.threads, ECONOMY_WORKER_THREADS, 1",
        "worker.threads, ECONOMY_WORKER_THREADS, 1000",
        "shutdown.timeout.ms, ECONOMY_SHUTDOWN_TIMEOUT_MS, 1",
    })
    void number_atTheLimitsOfItsRange_isAccepted(String key, String variable, String value) {
        env.put(variable, value);

        assertThat(ConfigLoader.load(env)).isNotNull();
    }

    @ParameterizedTest(name = "{0} empty is refused")
    @CsvSource({
        "group.id, ECONOMY_GROUP_ID",
        "data.dir, ECONOMY_DATA_DIR",
        "topic.earn-requests, ECONOMY_TOPIC_EARN_REQUESTS",
        "topic.results, ECONOMY_TOPIC_RESULTS",
        "topic.dlq, ECONOMY_TOPIC_DLQ",
    })
    void requiredText_setBlank_isRefusedNamingKeyAndVariable(String key, String variable) {
        env.put(variable, "   ");

        assertThatThrownBy(() -> ConfigLoader.load(env))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(key)
                .hasMessageContaining(variable);
    }

    @Test
    void kafkaProperties_fromFileAndEnvironment_reachConsumerAndProducer() throws IOException {
        writeFile("kafka.security.protocol=SASL_SSL\n");
        env.put("ECONOMY_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512");

        EconomyConfig config = ConfigLoader.load(env);

        assertThat(config.consumerProperties())
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512");
        assertThat(config.producerProperties())
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512");
        assertThat(config.adminProperties())
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512");
    }

    @Test
    void kafkaProperty_inEnvironment_overridesTheFile() throws IOException {
        writeFile("kafka.sasl.mechanism=PLAIN\n");
        env.put("ECONOMY_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512");

        assertThat(ConfigLoader.load(env).consumerProperties()).containsEntry("sasl.mechanism", "SCRAM-SHA-512");
    }

    @Test
    void consumerProperty_reachesOnlyTheConsumer() throws IOException {
        writeFile("kafka.consumer.max.poll.records=500\n");

        EconomyConfig config = ConfigLoader.load(env);

        assertThat(config.consumerProperties()).containsExactly(Map.entry("max.poll.records", "500"));
        assertThat(config.producerProperties()).isEmpty();
        assertThat(config.adminProperties()).isEmpty();
        assertThat(config.kafka()).isEmpty();
    }

    @Test
    void producerProperty_reachesOnlyTheProducer() throws IOException {
        writeFile("kafka.producer.linger.ms=10\n");

        EconomyConfig config = ConfigLoader.load(env);

        assertThat(config.producerProperties()).containsExactly(Map.entry("linger.ms", "10"));
        assertThat(config.consumerProperties()).isEmpty();
        assertThat(config.adminProperties()).isEmpty();
        assertThat(config.kafka()).isEmpty();
    }

    @Test
    void consumerProperty_fromEnvironment_reachesOnlyTheConsumer() {
        env.put("ECONOMY_KAFKA_CONSUMER_MAX_POLL_RECORDS", "500");

        EconomyConfig config = ConfigLoader.load(env);

        assertThat(config.consumerProperties()).containsExactly(Map.entry("max.poll.records", "500"));
        assertThat(config.producerProperties()).isEmpty();
    }

    @Test
    void clientSpecificProperty_overridesTheCommonOneForThatClientOnly() throws IOException {
        writeFile("""
                kafka.client.id=economy
                kafka.producer.client.id=economy-producer
                """);

        EconomyConfig config = ConfigLoader.load(env);

        assertThat(config.producerProperties()).containsEntry("client.id", "economy-producer");
        assertThat(config.consumerProperties()).containsEntry("client.id", "economy");
        assertThat(config.adminProperties()).containsEntry("client.id", "economy");
    }

    @Test
    void unrelatedEnvironmentVariables_areIgnored() {
        env.put("PATH", "/usr/bin");
        env.put("HOME", "/home/economy");
        env.put("KAFKA_HEAP_OPTS", "-Xmx1g");

        EconomyConfig config = ConfigLoader.load(env);

        assertThat(config.groupId()).isEqualTo("economy-engine");
        assertThat(config.kafka()).isEmpty();
    }

    @ParameterizedTest(name = "{0} is refused, suggesting {1}")
    @CsvSource({
        "ECONOMY_TOPIC_PARTITON, ECONOMY_TOPIC_PARTITIONS",
        "ECONOMY_BOOTSTRAP_SERVER, ECONOMY_BOOTSTRAP_SERVERS",
        "ECONOMY_GROUPID, ECONOMY_GROUP_ID",
        "ECONOMY_HTTP_ADVERTISED_URI, ECONOMY_HTTP_ADVERTISED_URL",
        "ECONOMY_TOPIC_EARN_REQUEST, ECONOMY_TOPIC_EARN_REQUESTS",
        "ECONOMY_CONFIG_FILE, ECONOMY_CONFIG",
        "ECONOMY_LOG_FORMATS, ECONOMY_LOG_FORMAT",
    })
    void unknownEconomyVariable_isRefusedNamingItAndTheClosestKnownOne(String variable, String suggestion) {
        env.put(variable, "3");

        assertThatThrownBy(() -> ConfigLoader.load(env))
                .isInstanceOf(ConfigException.class)
                .hasMessage("unknown environment variable " + variable + "; did you mean " + suggestion + "?");
    }

    @ParameterizedTest(name = "{0} is refused")
    @ValueSource(strings = {"ECONOMY_", "ECONOMY_KAFKA_"})
    void economyPrefix_withNothingAfterIt_isRefused(String variable) {
        env.put(variable, "x");

        assertThatThrownBy(() -> ConfigLoader.load(env))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("unknown environment variable " + variable + "; did you mean ECONOMY_");
    }

    @Test
    void severalUnknownEconomyVariables_areAllNamed() {
        env.put("ECONOMY_WORKER_THREAD", "2");
        env.put("ECONOMY_DATA_DIRECTORY", "/var/lib/economy");

        assertThatThrownBy(() -> ConfigLoader.load(env))
                .isInstanceOf(ConfigException.class)
                .hasMessage("unknown environment variable ECONOMY_DATA_DIRECTORY; did you mean ECONOMY_DATA_DIR?\n"
                        + "unknown environment variable ECONOMY_WORKER_THREAD; did you mean ECONOMY_WORKER_THREADS?");
    }

    @ParameterizedTest(name = "{0} is a known variable")
    @MethodSource("everyKeyWithItsDefault")
    void variableOfEveryKey_setToItsDefault_isAccepted(String key, String defaultValue) {
        env.put(ConfigLoader.envName(key), defaultValue);

        assertThat(ConfigLoader.load(env)).isNotNull();
    }

    static Stream<Arguments> everyKeyWithItsDefault() {
        return ConfigLoader.DEFAULTS.entrySet().stream().map(entry -> Arguments.of(entry.getKey(), entry.getValue()));
    }

    @Test
    void documentedNonKeyVariables_areAccepted() {
        assertThat(ConfigLoader.NON_KEY_VARIABLES).containsExactlyInAnyOrder("ECONOMY_CONFIG", "ECONOMY_LOG_FORMAT");
        env.put("ECONOMY_LOG_FORMAT", "text");

        assertThat(ConfigLoader.load(env)).isNotNull();
    }

    @ParameterizedTest(name = "{0} is a Kafka client property")
    @CsvSource({
        "ECONOMY_KAFKA_SASL_MECHANISM, PLAIN",
        "ECONOMY_KAFKA_SECURITY_PROTOCOL, SASL_SSL",
        "ECONOMY_KAFKA_CONSUMER_MAX_POLL_RECORDS, 500",
        "ECONOMY_KAFKA_PRODUCER_LINGER_MS, 5",
        "ECONOMY_KAFKA_ADMIN_REQUEST_TIMEOUT_MS, 10000",
        "ECONOMY_KAFKA_SOME_FUTURE_PROPERTY, x",
    })
    void kafkaClientVariables_areAccepted(String variable, String value) {
        env.put(variable, value);

        assertThat(ConfigLoader.load(env)).isNotNull();
    }

    @ParameterizedTest(name = "{0} and {1} are {2} edits apart")
    @CsvSource({
        "kitten, sitting, 3",
        "'', abc, 3",
        "abc, '', 3",
        "same, same, 0",
        "ECONOMY_TOPIC_PARTITON, ECONOMY_TOPIC_PARTITIONS, 2",
        "flaw, lawn, 2",
    })
    void levenshtein_countsInsertionsDeletionsAndSubstitutions(String a, String b, int distance) {
        assertThat(EditDistance.levenshtein(a, b)).isEqualTo(distance);
        assertThat(EditDistance.levenshtein(b, a)).isEqualTo(distance);
    }

    @Test
    void envName_turnsDotsAndDashesIntoUnderscores() {
        assertThat(ConfigLoader.envName("topic.balance-changed")).isEqualTo("ECONOMY_TOPIC_BALANCE_CHANGED");
        assertThat(ConfigLoader.envName("embedded.kafka.port")).isEqualTo("ECONOMY_EMBEDDED_KAFKA_PORT");
    }

    @Test
    void configuration_kafkaMaps_cannotBeChangedFromOutside() {
        EconomyConfig config = ConfigLoader.load(env);

        assertThat(config.kafka()).isUnmodifiable();
        assertThat(config.kafkaConsumer()).isUnmodifiable();
        assertThat(config.kafkaProducer()).isUnmodifiable();
        assertThat(config.kafkaAdmin()).isUnmodifiable();
    }

    private void writeFile(String content) throws IOException {
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }
}
