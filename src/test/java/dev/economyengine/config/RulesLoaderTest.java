package dev.economyengine.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.economyengine.ledger.EarningRule;
import dev.economyengine.ledger.EarningRules;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RulesLoaderTest {

    /** Relative to the project directory, which is the working directory of the tests. */
    private static final Path SHIPPED = Path.of("config", "earning-rules.json");

    @TempDir
    Path dir;

    @Test
    void shippedRules_load() {
        EarningRules rules = RulesLoader.load(Optional.of(SHIPPED));

        EarningRule dailyLogin = rules.forAction("daily_login").orElseThrow();
        assertThat(dailyLogin.baseAmount()).isEqualTo(10);
        assertThat(dailyLogin.multiplier()).isEqualByComparingTo("1.0");
        assertThat(dailyLogin.creditedAmount()).isEqualTo(10);
        assertThat(rules.forAction("game_completion").orElseThrow().creditedAmount()).isEqualTo(50);
    }

    @Test
    void builtInRules_loadAndEqualTheShippedFile() {
        EarningRules builtIn = RulesLoader.load(Optional.empty());
        EarningRules shipped = RulesLoader.load(Optional.of(SHIPPED));

        assertThat(builtIn.all()).isNotEmpty();
        assertThat(builtIn.all()).containsExactlyInAnyOrderElementsOf(shipped.all());
        assertThat(builtIn.forAction("daily_login").orElseThrow().creditedAmount()).isEqualTo(10);
    }

    @Test
    void rule_withFractionalMultiplier_creditsTheFloor() throws IOException {
        EarningRules rules = load("{\"bonus\": {\"baseAmount\": 7, \"multiplier\": 1.5}}");

        assertThat(rules.forAction("bonus").orElseThrow().creditedAmount()).isEqualTo(10); // floor(10.5)
    }

    @Test
    void rule_withMultiplierOneTenth_creditsExactlyThreeForThirty() throws IOException {
        EarningRules rules = load("{\"tenth\": {\"baseAmount\": 30, \"multiplier\": 0.1}}");

        EarningRule tenth = rules.forAction("tenth").orElseThrow();
        assertThat(tenth.multiplier()).isEqualTo(new BigDecimal("0.1"));
        assertThat(tenth.creditedAmount()).isEqualTo(3);
    }

    @Test
    void rule_withMultiplierWhoseDoubleIsBelowItsDecimal_creditsTheExactDecimalFloor() throws IOException {
        // 0.29 as a double is 0.28999999999999998...: 100 x 0.29 is 28.999999999999996 in doubles and
        // would floor to 28. Read as a decimal it is exactly 29.
        EarningRules rules = load("{\"share\": {\"baseAmount\": 100, \"multiplier\": 0.29}}");

        assertThat(rules.forAction("share").orElseThrow().creditedAmount()).isEqualTo(29);
    }

    @Test
    void rule_withIntegerMultiplier_isRead() throws IOException {
        EarningRules rules = load("{\"double_up\": {\"baseAmount\": 50, \"multiplier\": 2}}");

        assertThat(rules.forAction("double_up").orElseThrow().creditedAmount()).isEqualTo(100);
    }

    @Test
    void rules_withExtraFieldsInARule_ignoreThem() throws IOException {
        EarningRules rules = load("{\"a\": {\"baseAmount\": 5, \"multiplier\": 1, \"note\": \"x\"}}");

        assertThat(rules.forAction("a").orElseThrow().creditedAmount()).isEqualTo(5);
    }

    @Test
    void file_thatDoesNotExist_isRefusedNamingTheFile() {
        Path missing = dir.resolve("missing-rules.json");

        assertThatThrownBy(() -> RulesLoader.load(Optional.of(missing)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("rules.file");
    }

    @Test
    void file_thatIsADirectory_isRefusedNamingIt() {
        assertThatThrownBy(() -> RulesLoader.load(Optional.of(dir)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(dir.toString());
    }

    @ParameterizedTest(name = "<{0}> is refused")
    @ValueSource(strings = {
        "{\"a\": {\"baseAmount\": 5, \"multiplier\": 1}",
        "{\"a\": {\"baseAmount\": 5, \"multiplier\": 1},}",
        "{a: {\"baseAmount\": 5, \"multiplier\": 1}}",
        "{'a': {'baseAmount': 5, 'multiplier': 1}}",
        "{\"a\": {\"baseAmount\": 5, \"multiplier\": 1.}}",
        "not json",
    })
    void file_withInvalidJson_isRefusedNamingTheFile(String content) throws IOException {
        Path file = write(content);

        assertThatThrownBy(() -> RulesLoader.load(Optional.of(file)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(file.toString());
    }

    /**
     * A second object or stray text after the rules is not JSON, and usually means a bad merge or a
     * concatenation; silently using the first object would drop the rules after it.
     */
    @ParameterizedTest(name = "trailing <{0}> is refused")
    @ValueSource(strings = {" {\"b\": {\"baseAmount\": 1, \"multiplier\": 1}}", " xyz", "]", "}"})
    void file_withTrailingContentAfterTheRules_isRefusedNamingTheFile(String trailing) throws IOException {
        Path file = write("{\"a\": {\"baseAmount\": 5, \"multiplier\": 1}}" + trailing);

        assertThatThrownBy(() -> RulesLoader.load(Optional.of(file)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(file.toString());
    }

    @ParameterizedTest(name = "root <{0}> is refused")
    @ValueSource(strings = {"[]", "[{\"daily_login\": {\"baseAmount\": 10, \"multiplier\": 1}}]", "\"rules\"", "42",
        "null", "", "   "})
    void file_whoseRootIsNotAnObject_isRefusedNamingTheFile(String content) throws IOException {
        Path file = write(content);

        assertThatThrownBy(() -> RulesLoader.load(Optional.of(file)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(file.toString());
    }

    @ParameterizedTest(name = "baseAmount {0} is refused")
    @ValueSource(strings = {"10.5", "10.0", "1e1", "\"10\"", "null", "true", "[10]", "{}",
        "99999999999999999999"})
    void rule_withBaseAmountNotAnInteger_isRefusedNamingTheAction(String baseAmount) throws IOException {
        Path file = write("{\"daily_login\": {\"baseAmount\": " + baseAmount + ", \"multiplier\": 1}}");

        assertThatThrownBy(() -> RulesLoader.load(Optional.of(file)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("daily_login")
                .hasMessageContaining("baseAmount")
                .hasMessageContaining(file.toString());
    }

    @Test
    void rule_withBaseAmountMissing_isRefusedNamingTheAction() throws IOException {
        Path file = write("{\"daily_login\": {\"multiplier\": 1}}");

        assertThatThrownBy(() -> RulesLoader.load(Optional.of(file)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("daily_login")
                .hasMessageContaining("baseAmount");
    }

    @ParameterizedTest(name = "multiplier {0} is refused")
    @ValueSource(strings = {"\"1.5\"", "\"\"", "null", "true", "[1]", "{}"})
    void rule_withMultiplierNotANumber_isRefusedNamingTheAction(String multiplier) throws IOException {
        Path file = write("{\"daily_login\": {\"baseAmount\": 10, \"multiplier\": " + multiplier + "}}");

        assertThatThrownBy(() -> RulesLoader.load(Optional.of(file)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("daily_login")
                .hasMessageContaining("multiplier")
                .hasMessageContaining(file.toString());
    }

    @Test
    void rule_withMultiplierMissing_isRefusedNamingTheAction() throws IOException {
        Path file = write("{\"daily_login\": {\"baseAmount\": 10}}");

        assertThatThrownBy(() -> RulesLoader.load(Optional.of(file)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("daily_login")
                .hasMessageContaining("multiplier");
    }

    @ParameterizedTest(name = "rule {0} is refused")
    @ValueSource(strings = {"10", "\"10\"", "null", "[10, 1.0]"})
    void rule_thatIsNotAnObject_isRefusedNamingTheAction(String rule) throws IOException {
        Path file = write("{\"daily_login\": " + rule + "}");

        assertThatThrownBy(() -> RulesLoader.load(Optional.of(file)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("daily_login");
    }

    @ParameterizedTest(name = "rule <{0}> is refused")
    @ValueSource(strings = {
        "\"baseAmount\": 0, \"multiplier\": 1",
        "\"baseAmount\": -5, \"multiplier\": 1",
        "\"baseAmount\": 10, \"multiplier\": 0",
        "\"baseAmount\": 10, \"multiplier\": -1.5",
        "\"baseAmount\": 10, \"multiplier\": 0.05",
        "\"baseAmount\": 1000000000, \"multiplier\": 1.5",
        "\"baseAmount\": 10, \"multiplier\": 1e400",
    })
    void rule_thatCreditsNothingOrTooMuch_isRefusedNamingTheAction(String fields) throws IOException {
        Path file = write("{\"daily_login\": {" + fields + "}}");

        assertThatThrownBy(() -> RulesLoader.load(Optional.of(file)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("daily_login")
                .hasMessageContaining(file.toString());
    }

    @Test
    void file_withADuplicateAction_isRefusedNamingTheActionAndTheFile() throws IOException {
        Path file = write("""
                {
                  "daily_login": { "baseAmount": 10, "multiplier": 1.0 },
                  "daily_login": { "baseAmount": 1000, "multiplier": 1.0 }
                }
                """);

        assertThatThrownBy(() -> RulesLoader.load(Optional.of(file)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("daily_login")
                .hasMessageContaining(file.toString());
    }

    @Test
    void file_withADuplicateFieldInsideARule_isRefused() throws IOException {
        Path file = write("{\"daily_login\": {\"baseAmount\": 10, \"baseAmount\": 1000, \"multiplier\": 1}}");

        assertThatThrownBy(() -> RulesLoader.load(Optional.of(file)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("baseAmount");
    }

    private EarningRules load(String json) throws IOException {
        return RulesLoader.load(Optional.of(write(json)));
    }

    private Path write(String content) throws IOException {
        return Files.writeString(Files.createTempFile(dir, "rules", ".json"), content);
    }
}
