package dev.economyengine.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.economyengine.ledger.AmountLimit;
import dev.economyengine.ledger.CalendarUnit;
import dev.economyengine.ledger.CountLimit;
import dev.economyengine.ledger.Currency;
import dev.economyengine.ledger.EarningRule;
import dev.economyengine.ledger.Economy;
import dev.economyengine.ledger.Window;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RulesLoaderTest {

    /** Relative to the project directory, which is the working directory of the tests. */
    private static final Path SHIPPED = Path.of("config", "economy.json");

    /** The example: two currencies, every kind of window. */
    static final String TWO_CURRENCIES = """
            {
              "defaultCurrency": "coins",
              "currencies": {
                "coins": { "cap": 1000000000 },
                "gems":  { "cap": 1000000, "earnLimits": [ { "amount": 500, "period": "P1D", "calendar": true } ] }
              },
              "earningRules": {
                "daily_login":     { "currency": "coins", "baseAmount": 10,  "multiplier": 1.0,
                                     "limits": [ { "count": 1, "period": "P1D", "calendar": true } ] },
                "game_completion": { "currency": "coins", "baseAmount": 50,  "multiplier": 1.0,
                                     "limits": [ { "count": 30, "period": "PT1H" } ] },
                "game_win":        { "currency": "coins", "baseAmount": 50,  "multiplier": 2.0 },
                "first_purchase":  { "currency": "gems",  "baseAmount": 100, "multiplier": 1.5,
                                     "limits": [ { "count": 1 } ] }
              }
            }
            """;

    @TempDir
    Path dir;

    @Test
    void shippedEconomy_loads() {
        Economy economy = RulesLoader.load(Optional.of(SHIPPED));

        assertThat(economy.defaultCurrency()).isEqualTo("coins");
        EarningRule dailyLogin = economy.rules().forAction("daily_login").orElseThrow();
        assertThat(dailyLogin.baseAmount()).isEqualTo(10);
        assertThat(dailyLogin.multiplier()).isEqualByComparingTo("1.0");
        assertThat(dailyLogin.creditedAmount()).isEqualTo(10);
        assertThat(economy.rules().forAction("game_completion").orElseThrow().creditedAmount()).isEqualTo(50);
    }

    @Test
    void builtInEconomy_loadsAndEqualsTheShippedFile() {
        Economy builtIn = RulesLoader.load(Optional.empty());
        Economy shipped = RulesLoader.load(Optional.of(SHIPPED));

        assertThat(builtIn.rules().all()).isNotEmpty();
        assertThat(builtIn.rules().all()).containsExactlyInAnyOrderElementsOf(shipped.rules().all());
        assertThat(builtIn.currencies()).containsExactlyElementsOf(shipped.currencies());
        assertThat(builtIn.rulesVersion()).isEqualTo(shipped.rulesVersion());
    }

    @Test
    void economyFile_withTwoCurrenciesAndLimits_loadsEveryPart() throws IOException {
        Economy economy = load(TWO_CURRENCIES);

        assertThat(economy.defaultCurrency()).isEqualTo("coins");
        assertThat(economy.currencies()).extracting(Currency::code).containsExactly("coins", "gems");
        assertThat(economy.currency("coins").orElseThrow().cap()).isEqualTo(1_000_000_000L);
        Currency gems = economy.currency("gems").orElseThrow();
        assertThat(gems.cap()).isEqualTo(1_000_000L);
        assertThat(gems.earnLimits()).containsExactly(new AmountLimit(500, new Window.Calendar(CalendarUnit.DAY)));
        assertThat(economy.rules().forAction("daily_login").orElseThrow().limits())
                .containsExactly(new CountLimit(1, new Window.Calendar(CalendarUnit.DAY)));
        assertThat(economy.rules().forAction("game_completion").orElseThrow().limits())
                .containsExactly(new CountLimit(30, new Window.Rolling("PT1H", Duration.ofHours(1))));
        assertThat(economy.rules().forAction("game_win").orElseThrow().limits()).isEmpty();
        EarningRule firstPurchase = economy.rules().forAction("first_purchase").orElseThrow();
        assertThat(firstPurchase.currency()).isEqualTo("gems");
        assertThat(firstPurchase.creditedAmount()).isEqualTo(150);
        assertThat(firstPurchase.limits()).containsExactly(new CountLimit(1, new Window.Lifetime()));
        assertThat(economy.rulesVersion()).matches("[0-9a-f]{16}");
    }

    @Test
    void fileOfTheFirstFormat_loadsAsCoinsCappedAtOneBillionWithoutLimits() throws IOException {
        Economy economy = load("{\"daily_login\": {\"baseAmount\": 10, \"multiplier\": 1.0}}");

        assertThat(economy.defaultCurrency()).isEqualTo("coins");
        assertThat(economy.currencies()).containsExactly(new Currency("coins", 1_000_000_000L));
        EarningRule rule = economy.rules().forAction("daily_login").orElseThrow();
        assertThat(rule.currency()).isEqualTo("coins");
        assertThat(rule.limits()).isEmpty();
        assertThat(economy.hasLimits()).isFalse();
    }

    @Test
    void rulesVersion_ofTheSameEconomyInEitherFormatOrAnyLayout_isTheSame() throws IOException {
        String firstFormat = "{\"daily_login\": {\"baseAmount\": 10, \"multiplier\": 1.0},"
                + " \"game_win\": {\"baseAmount\": 50, \"multiplier\": 2}}";
        String currentFormat = """
                {"earningRules": {"game_win": {"multiplier": 2.00, "baseAmount": 50, "currency": "coins", "limits": []},
                                  "daily_login": {"currency": "coins", "baseAmount": 10, "multiplier": 1}},
                 "currencies": {"coins": {"earnLimits": [], "cap": 1000000000}}, "defaultCurrency": "coins"}""";

        assertThat(load(currentFormat).rulesVersion()).isEqualTo(load(firstFormat).rulesVersion());
        assertThat(load(TWO_CURRENCIES.replace("\"PT1H\"", "\"PT60M\"")).rulesVersion())
                .isEqualTo(load(TWO_CURRENCIES).rulesVersion());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "a count          | \"count\": 30,  | \"count\": 29,",
        "a period         | \"PT1H\"        | \"PT2H\"",
        "calendar         | \"count\": 1, \"period\": \"P1D\", \"calendar\": true | \"count\": 1, \"period\": \"P1D\"",
        "a cap            | \"cap\": 1000000, | \"cap\": 1000001,",
        "an amount limit  | \"amount\": 500 | \"amount\": 501",
        "the default      | \"defaultCurrency\": \"coins\" | \"defaultCurrency\": \"gems\"",
        "a rule currency   | \"currency\": \"coins\", \"baseAmount\": 50,  \"multiplier\": 2.0 | \"currency\": \"gems\", \"baseAmount\": 50,  \"multiplier\": 2.0",
        "a multiplier     | \"multiplier\": 2.0 | \"multiplier\": 2.5",
    })
    void rulesVersion_changesWithEveryChangeThatCanChangeADecision(String what, String from, String to)
            throws IOException {
        String changed = TWO_CURRENCIES.replace(from.strip(), to.strip());
        assertThat(changed).as("the change applies").isNotEqualTo(TWO_CURRENCIES);

        assertThat(load(changed).rulesVersion()).isNotEqualTo(load(TWO_CURRENCIES).rulesVersion());
    }

    /** Each bad file stops start-up with a message naming the file and the path of the bad field. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "currency code with capitals   | \"gems\":  { | \"Gems\":  {                    | currencies.Gems",
        "cap of zero                   | \"cap\": 1000000, | \"cap\": 0,                | currencies.gems.cap",
        "cap above 10^15               | \"cap\": 1000000, | \"cap\": 1000000000000001, | currencies.gems.cap",
        "cap that is not whole         | \"cap\": 1000000, | \"cap\": 1.5,              | currencies.gems.cap",
        "cap given as text             | \"cap\": 1000000, | \"cap\": \"1000000\",    | currencies.gems.cap",
        "unknown default currency      | \"defaultCurrency\": \"coins\" | \"defaultCurrency\": \"gold\" | defaultCurrency",
        "default currency not a string | \"defaultCurrency\": \"coins\" | \"defaultCurrency\": 1 | defaultCurrency",
        "unknown currency of a rule    | \"currency\": \"gems\", | \"currency\": \"diamonds\", | first_purchase",
        "rule without a currency       | \"currency\": \"gems\", | `` | earningRules.first_purchase.currency",
        "rule over its currency's cap  | \"baseAmount\": 100, | \"baseAmount\": 1000000, | first_purchase",
        "rule over an amount limit     | \"amount\": 500 | \"amount\": 149 | first_purchase",
        "count of zero                 | \"count\": 30, | \"count\": 0, | earningRules.game_completion.limits[0].count",
        "count that is not whole       | \"count\": 30, | \"count\": 2.5, | earningRules.game_completion.limits[0].count",
        "period that is no duration    | \"PT1H\" | \"one hour\" | earningRules.game_completion.limits[0].period",
        "period that is not positive   | \"PT1H\" | \"PT0S\" | earningRules.game_completion.limits[0].period",
        "rolling period of a month     | \"PT1H\" | \"P1M\" | earningRules.game_completion.limits[0].period",
        "calendar period of two days   | \"count\": 1, \"period\": \"P1D\" | \"count\": 1, \"period\": \"P2D\" | earningRules.daily_login.limits[0].period",
        "calendar without a period     | \"count\": 1, \"period\": \"P1D\", | \"count\": 1, | earningRules.daily_login.limits[0].calendar",
        "calendar that is no boolean   | \"calendar\": true } ] }, | \"calendar\": \"yes\" } ] }, | earningRules.daily_login.limits[0].calendar",
        "amount limit of zero          | \"amount\": 500 | \"amount\": 0 | currencies.gems.earnLimits[0].amount",
        "misspelt field of a limit     | \"count\": 30, | \"cuont\": 30, | earningRules.game_completion.limits[0].cuont",
        "misspelt limits of a rule     | \"limits\": [ { \"count\": 1 } ] | \"limit\": [ { \"count\": 1 } ] | earningRules.first_purchase.limit",
        "limits that are no array      | \"limits\": [ { \"count\": 1 } ] | \"limits\": { \"count\": 1 } | earningRules.first_purchase.limits",
        "unknown top-level field       | \"defaultCurrency\": | \"defaultCurency\": \"x\", \"defaultCurrency\": | defaultCurency",
    })
    void economyFile_withABadField_isRefusedNamingItsPath(String what, String from, String to, String path)
            throws IOException {
        String bad = TWO_CURRENCIES.replaceFirst(Pattern.quote(from.strip()),
                Matcher.quoteReplacement(to.strip()));
        assertThat(bad).as("the change applies").isNotEqualTo(TWO_CURRENCIES);
        Path file = write(bad);

        assertThatThrownBy(() -> RulesLoader.load(Optional.of(file)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining(path);
    }

    @Test
    void rule_withFractionalMultiplier_creditsTheFloor() throws IOException {
        Economy rules = load("{\"bonus\": {\"baseAmount\": 7, \"multiplier\": 1.5}}");

        assertThat(rules.rules().forAction("bonus").orElseThrow().creditedAmount()).isEqualTo(10); // floor(10.5)
    }

    @Test
    void rule_withMultiplierOneTenth_creditsExactlyThreeForThirty() throws IOException {
        Economy rules = load("{\"tenth\": {\"baseAmount\": 30, \"multiplier\": 0.1}}");

        EarningRule tenth = rules.rules().forAction("tenth").orElseThrow();
        assertThat(tenth.multiplier()).isEqualTo(new BigDecimal("0.1"));
        assertThat(tenth.creditedAmount()).isEqualTo(3);
    }

    @Test
    void rule_withMultiplierWhoseDoubleIsBelowItsDecimal_creditsTheExactDecimalFloor() throws IOException {
        // 0.29 as a double is 0.28999999999999998...: 100 x 0.29 is 28.999999999999996 in doubles and
        // would floor to 28. Read as a decimal it is exactly 29.
        Economy rules = load("{\"share\": {\"baseAmount\": 100, \"multiplier\": 0.29}}");

        assertThat(rules.rules().forAction("share").orElseThrow().creditedAmount()).isEqualTo(29);
    }

    @Test
    void rule_withIntegerMultiplier_isRead() throws IOException {
        Economy rules = load("{\"double_up\": {\"baseAmount\": 50, \"multiplier\": 2}}");

        assertThat(rules.rules().forAction("double_up").orElseThrow().creditedAmount()).isEqualTo(100);
    }

    @Test
    void rules_withExtraFieldsInARule_ignoreThem() throws IOException {
        Economy rules = load("{\"a\": {\"baseAmount\": 5, \"multiplier\": 1, \"note\": \"x\"}}");

        assertThat(rules.rules().forAction("a").orElseThrow().creditedAmount()).isEqualTo(5);
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

    private Economy load(String json) throws IOException {
        return RulesLoader.load(Optional.of(write(json)));
    }

    private Path write(String content) throws IOException {
        return Files.writeString(Files.createTempFile(dir, "rules", ".json"), content);
    }
}
