package dev.economyengine.config;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Loads the configuration: built-in defaults, then the properties file, then environment variables.
 * Each key {@code a.b-c} may be set by the variable {@code ECONOMY_A_B_C}; Kafka client properties are
 * {@code kafka.<property>} (all clients) or {@code kafka.consumer.|producer.|admin.<property>}, and
 * {@code ECONOMY_KAFKA_SASL_MECHANISM} sets {@code kafka.sasl.mechanism}. An unknown key, or a value
 * that does not parse, stops start-up with a message naming the key; so does an {@code ECONOMY_}
 * variable that is none of these (a typo would otherwise leave its setting at the default, unnoticed),
 * naming the known variable closest to it.
 */
public final class ConfigLoader {
    public static final String CONFIG_ENV = "ECONOMY_CONFIG";
    /** Read by {@code Main} before the configuration, to choose the log format. */
    public static final String LOG_FORMAT_ENV = "ECONOMY_LOG_FORMAT";
    /** The documented variables that are not the variable of a key; the README's table lists them too. */
    public static final Set<String> NON_KEY_VARIABLES = Set.of(CONFIG_ENV, LOG_FORMAT_ENV);
    public static final Path DEFAULT_CONFIG_FILE = Path.of("config", "economy.properties");
    public static final Path DEFAULT_RULES_FILE = Path.of("config", "economy.json");
    /** The earning rules file of earlier versions, read when it is there and {@link #DEFAULT_RULES_FILE} is not. */
    public static final Path EARLIER_RULES_FILE = Path.of("config", "earning-rules.json");
    private static final String ENV_PREFIX = "ECONOMY_";
    private static final String KAFKA_PREFIX = "kafka.";
    private static final String KAFKA_ENV_PREFIX = ENV_PREFIX + "KAFKA_";
    /** RFC 6750's b64token. */
    private static final Pattern BEARER_TOKEN = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");

    /** Every key with its default; an empty default means "not set". */
    static final Map<String, String> DEFAULTS = defaults();

    private ConfigLoader() {}

    private static Map<String, String> defaults() {
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("bootstrap.servers", "");
        defaults.put("embedded.kafka.port", "9092");
        defaults.put("data.dir", "./data");
        defaults.put("rules.file", "");
        defaults.put("group.id", "economy-engine");
        defaults.put("topic.earn-requests", "economy.earn.requests");
        defaults.put("topic.spend-requests", "economy.spend.requests");
        defaults.put("topic.results", "economy.results");
        defaults.put("topic.balance-changed", "economy.balance-changed");
        defaults.put("topic.dlq", "economy.dlq");
        defaults.put("topic.changelog", "economy.ledger-changelog");
        defaults.put("transactional.id", "");
        defaults.put("topic.partitions", "4");
        defaults.put("poll.timeout.ms", "100");
        defaults.put("merge.max-wait.ms", "20");
        defaults.put("batch.max-records", "5000");
        defaults.put("commit.max-delay.ms", "10");
        defaults.put("commit.max-records", "1000");
        defaults.put("worker.threads", "1");
        defaults.put("cache.ttl.ms", "60000");
        defaults.put("shutdown.timeout.ms", "30000");
        defaults.put("reply.topic-pattern", "economy\\.replies\\..+");
        defaults.put("http.host", "0.0.0.0");
        defaults.put("http.port", "8080");
        defaults.put("http.advertised-url", "");
        defaults.put("http.write-token", "");
        defaults.put("http.read-token", "");
        return Map.copyOf(defaults);
    }

    /** The environment variable that overrides {@code key}. */
    public static String envName(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public static EconomyConfig load(Map<String, String> env) {
        refuseUnknownVariables(env);
        String explicitFile = env.get(CONFIG_ENV);
        Path file = explicitFile == null || explicitFile.isBlank() ? DEFAULT_CONFIG_FILE : Path.of(explicitFile);
        Map<String, String> values = new HashMap<>(DEFAULTS);
        if (Files.exists(file)) {
            values.putAll(readFile(file));
        } else if (explicitFile != null && !explicitFile.isBlank()) {
            throw new ConfigException(CONFIG_ENV + ": configuration file " + file + " does not exist");
        }
        values.putAll(fromEnvironment(env));
        return build(values, file);
    }

    private static Map<String, String> readFile(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> values = new HashMap<>();
        for (String key : properties.stringPropertyNames()) {
            if (!DEFAULTS.containsKey(key) && !key.startsWith(KAFKA_PREFIX)) {
                throw new ConfigException("unknown configuration key '" + key + "' in " + file);
            }
            values.put(key, properties.getProperty(key).trim());
        }
        return values;
    }

    private static Map<String, String> fromEnvironment(Map<String, String> env) {
        Map<String, String> values = new HashMap<>();
        for (String key : DEFAULTS.keySet()) {
            String value = env.get(envName(key));
            if (value != null) {
                values.put(key, value.trim());
            }
        }
        env.forEach((name, value) -> {
            if (isKafkaVariable(name)) {
                // Kafka property names use dots only, so underscores map back unambiguously.
                values.put(KAFKA_PREFIX + name.substring(KAFKA_ENV_PREFIX.length()).toLowerCase(Locale.ROOT)
                        .replace('_', '.'), value);
            }
        });
        return values;
    }

    private static boolean isKafkaVariable(String name) {
        return name.startsWith(KAFKA_ENV_PREFIX) && name.length() > KAFKA_ENV_PREFIX.length();
    }

    /**
     * Refuses every {@code ECONOMY_} variable that is neither a key's, nor a documented other one, nor a
     * Kafka client property, naming the known variable it most resembles.
     */
    private static void refuseUnknownVariables(Map<String, String> env) {
        SortedSet<String> known = new TreeSet<>(NON_KEY_VARIABLES);
        DEFAULTS.keySet().forEach(key -> known.add(envName(key)));
        List<String> unknown = env.keySet().stream()
                .filter(name -> name.startsWith(ENV_PREFIX) && !known.contains(name) && !isKafkaVariable(name))
                .sorted()
                .map(name -> "unknown environment variable " + name + "; did you mean " + closest(name, known) + "?")
                .toList();
        if (!unknown.isEmpty()) {
            throw new ConfigException(String.join("\n", unknown));
        }
    }

    /** The first of {@code candidates} (in their order) at the least edit distance from {@code name}. */
    private static String closest(String name, SortedSet<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int distance = EditDistance.levenshtein(name, candidate);
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best;
    }

    private static EconomyConfig build(Map<String, String> values, Path file) {
        Values v = new Values(values);
        String rules = v.text("rules.file", true);
        return new EconomyConfig(
                optional(v.text("bootstrap.servers", true)),
                v.integer("embedded.kafka.port", 0, 65_535),
                Path.of(v.text("data.dir", false)),
                rules.isEmpty() ? defaultRulesFile(Path.of("")) : Optional.of(Path.of(rules)),
                v.text("group.id", false),
                new EconomyConfig.TopicNames(v.text("topic.earn-requests", false), v.text("topic.spend-requests", false),
                        v.text("topic.results", false), v.text("topic.balance-changed", false),
                        v.text("topic.dlq", false), v.text("topic.changelog", false)),
                optional(v.text("transactional.id", true)),
                v.integer("topic.partitions", 1, 10_000),
                Duration.ofMillis(v.integer("poll.timeout.ms", 1, 60_000)),
                Duration.ofMillis(v.integer("merge.max-wait.ms", 0, 60_000)),
                v.integer("batch.max-records", 1, 1_000_000),
                // Well inside the producer's transaction.timeout.ms (10 s), past which the broker aborts.
                new EconomyConfig.Commit(Duration.ofMillis(v.integer("commit.max-delay.ms", 0, 5_000)),
                        v.integer("commit.max-records", 1, 1_000_000)),
                v.integer("worker.threads", 1, 1_000),
                Duration.ofMillis(v.integer("cache.ttl.ms", 1, Integer.MAX_VALUE)),
                Duration.ofMillis(v.integer("shutdown.timeout.ms", 1, Integer.MAX_VALUE)),
                v.pattern("reply.topic-pattern"),
                new EconomyConfig.Http(v.text("http.host", false), v.integer("http.port", 0, 65_535),
                        v.baseUrl("http.advertised-url"), v.token("http.write-token"), v.token("http.read-token")),
                kafkaProperties(values, ""),
                kafkaProperties(values, "consumer."),
                kafkaProperties(values, "producer."),
                kafkaProperties(values, "admin."));
    }

    private static Optional<String> optional(String value) {
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    /**
     * config/economy.json if present; else an installation's config/earning-rules.json of the first format,
     * so that an upgrade keeps the rules it was run with; else the economy built into the jar.
     */
    static Optional<Path> defaultRulesFile(Path workingDirectory) {
        for (Path candidate : List.of(DEFAULT_RULES_FILE, EARLIER_RULES_FILE)) {
            Path file = workingDirectory.resolve(candidate);
            if (Files.exists(file)) {
                return Optional.of(file);
            }
        }
        return Optional.empty();
    }

    private static Map<String, String> kafkaProperties(Map<String, String> values, String kind) {
        Map<String, String> properties = new HashMap<>();
        String prefix = KAFKA_PREFIX + kind;
        values.forEach((key, value) -> {
            if (!key.startsWith(prefix)) {
                return;
            }
            String property = key.substring(prefix.length());
            boolean clientSpecific = property.startsWith("consumer.") || property.startsWith("producer.")
                    || property.startsWith("admin.");
            if (!property.isEmpty() && (!kind.isEmpty() || !clientSpecific)) {
                properties.put(property, value);
            }
        });
        return properties;
    }

    /** Typed access that names the key (and its variable) in every error. */
    private record Values(Map<String, String> values) {
        String text(String key, boolean mayBeEmpty) {
            String value = values.getOrDefault(key, "");
            if (!mayBeEmpty && value.isBlank()) {
                throw new ConfigException(key + " (" + envName(key) + ") must not be empty");
            }
            return value;
        }

        /** An absolute http(s) URL with a host and nothing after the path; empty when not set. */
        Optional<URI> baseUrl(String key) {
            String value = text(key, true);
            if (value.isEmpty()) {
                return Optional.empty();
            }
            try {
                URI url = new URI(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
                boolean web = "http".equalsIgnoreCase(url.getScheme()) || "https".equalsIgnoreCase(url.getScheme());
                if (!web || url.getHost() == null || url.getRawQuery() != null || url.getRawFragment() != null) {
                    throw new URISyntaxException(value, "not an http(s) base URL");
                }
                return Optional.of(url);
            } catch (URISyntaxException e) {
                throw new ConfigException(key + " (" + envName(key) + ") must be an http or https URL with a host "
                        + "and no query, such as http://worker-1.example:8080, was '" + value + "'");
            }
        }

        /**
         * A bearer token: 16 to 4096 characters of what RFC 6750 allows in one, so that it fits a header
         * as is. Empty when not set. The message of a bad one never shows it.
         */
        Optional<Secret> token(String key) {
            String value = text(key, true);
            if (value.isEmpty()) {
                return Optional.empty();
            }
            if (!BEARER_TOKEN.matcher(value).matches() || value.length() < 16 || value.length() > 4096) {
                throw new ConfigException(key + " (" + envName(key) + ") must be 16 to 4096 characters of"
                        + " letters, digits and - . _ ~ + / (then = only), such as the output of"
                        + " 'openssl rand -hex 32'; the value given is not shown");
            }
            return Optional.of(new Secret(value));
        }

        Pattern pattern(String key) {
            String value = text(key, false);
            try {
                return Pattern.compile(value);
            } catch (PatternSyntaxException e) {
                throw new ConfigException(key + " (" + envName(key) + ") must be a Java regular expression, was '"
                        + value + "': " + e.getDescription() + " near index " + e.getIndex());
            }
        }

        int integer(String key, int min, int max) {
            String value = values.get(key);
            try {
                int number = Integer.parseInt(value);
                if (number < min || number > max) {
                    throw new NumberFormatException();
                }
                return number;
            } catch (NumberFormatException e) {
                throw new ConfigException(key + " (" + envName(key) + ") must be a whole number from " + min
                        + " to " + max + ", was '" + value + "'");
            }
        }
    }
}
