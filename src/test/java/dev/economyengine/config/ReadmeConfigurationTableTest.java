package dev.economyengine.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.economyengine.docs.MarkdownTables;
import dev.economyengine.docs.MarkdownTables.Table;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The README's configuration table against the keys {@link ConfigLoader} accepts, in both directions:
 * every key with its variable and default, and every variable that is not a key.
 */
class ReadmeConfigurationTableTest {
    /** The variables that are not configuration keys, as start-up knows them. */
    private static final Set<String> NON_KEY_VARIABLES = ConfigLoader.NON_KEY_VARIABLES;
    /** Kafka client properties are passed through under these prefixes, with a row of their own. */
    private static final String KAFKA_VARIABLE_PREFIX = "ECONOMY_KAFKA_";

    private final Table table = MarkdownTables.of(Path.of("README.md"))
            .withHeader("key", "environment variable", "default", "meaning");

    @Test
    void everyKeyTheCodeAccepts_hasARow_andEveryRowIsAKeyTheCodeAccepts() {
        assertThat(documentedKeys().keySet())
                .as("keys in the README's configuration table, against ConfigLoader.DEFAULTS")
                .containsExactlyInAnyOrderElementsOf(ConfigLoader.DEFAULTS.keySet());
    }

    @Test
    void everyKeyRow_namesTheVariableThatSetsThatKey() {
        for (Map<String, String> row : table.rows()) {
            List<String> keys = MarkdownTables.codeSpans(row.get("key"));
            List<String> variables = MarkdownTables.codeSpans(row.get("environment variable"));
            if (keys.isEmpty()) {
                continue;
            }
            assertThat(variables).as("the variables of %s", keys)
                    .containsExactlyElementsOf(keys.stream().map(ConfigLoader::envName).toList());
        }
    }

    @Test
    void everyKeyRow_showsTheDefaultTheCodeUses() {
        documentedKeys().forEach((key, defaultCell) -> {
            String codeDefault = ConfigLoader.DEFAULTS.get(key);
            if (codeDefault == null) {
                return; // reported by the test of the keys themselves
            }
            Optional<String> shownValue = MarkdownTables.onlyCodeSpan(defaultCell).filter(value -> !value.contains("<"));
            if (codeDefault.isEmpty()) {
                // Not set by default: the README says in words what happens then, and shows no value.
                assertThat(shownValue).as("the default of %s, which is not set in the code, was '%s'", key, defaultCell)
                        .isEmpty();
                assertThat(defaultCell).as("the default of %s", key).isNotBlank();
            } else {
                assertThat(shownValue).as("the default of %s, written as one code span", key).contains(codeDefault);
            }
        });
    }

    @Test
    void theVariablesThatAreNotKeys_areTheOnesTheCodeReads() {
        Map<String, String> documented = new LinkedHashMap<>();
        for (Map<String, String> row : table.rows()) {
            if (MarkdownTables.codeSpans(row.get("key")).isEmpty()) {
                MarkdownTables.codeSpans(row.get("environment variable"))
                        .forEach(variable -> documented.put(variable, row.get("default")));
            }
        }
        Set<String> read = NON_KEY_VARIABLES.stream()
                .filter(variable -> !variable.startsWith(KAFKA_VARIABLE_PREFIX))
                .collect(Collectors.toCollection(TreeSet::new));

        assertThat(documented.keySet()).as("rows with a variable and no key").containsExactlyInAnyOrderElementsOf(read);
        assertThat(MarkdownTables.onlyCodeSpan(documented.get(ConfigLoader.CONFIG_ENV)))
                .as("the default configuration file")
                .contains(ConfigLoader.DEFAULT_CONFIG_FILE.toString().replace('\\', '/'));
    }

    @Test
    void kafkaClientPropertyRows_areTheKindsOfClientTheCodePassesPropertiesTo() {
        Map<String, Function<EconomyConfig, Map<String, String>>> kinds = Map.of(
                "kafka.<property>", EconomyConfig::kafka,
                "kafka.consumer.<property>", EconomyConfig::kafkaConsumer,
                "kafka.producer.<property>", EconomyConfig::kafkaProducer,
                "kafka.admin.<property>", EconomyConfig::kafkaAdmin);
        List<String> patterns = new ArrayList<>();
        for (Map<String, String> row : table.rows()) {
            MarkdownTables.codeSpans(row.get("key")).stream().filter(key -> key.contains("<")).forEach(patterns::add);
        }

        assertThat(patterns).containsExactlyInAnyOrderElementsOf(kinds.keySet());
        kinds.forEach((pattern, properties) -> {
            String variable = ConfigLoader.envName(pattern.replace("<property>", "client.id"));
            EconomyConfig config = ConfigLoader.load(Map.of(variable, "from-" + variable));
            assertThat(properties.apply(config)).as("what %s sets", variable).containsEntry("client.id", "from-" + variable);
        });
    }

    /** Every key the table names (rows of Kafka client properties aside), with its default cell. */
    private Map<String, String> documentedKeys() {
        Map<String, String> keys = new LinkedHashMap<>();
        for (Map<String, String> row : table.rows()) {
            for (String key : MarkdownTables.codeSpans(row.get("key"))) {
                if (!key.contains("<")) {
                    assertThat(keys.put(key, row.get("default"))).as("a second row for %s", key).isNull();
                }
            }
        }
        return keys;
    }
}
