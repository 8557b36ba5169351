package dev.economyengine.config;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.economyengine.ledger.AmountLimit;
import dev.economyengine.ledger.CountLimit;
import dev.economyengine.ledger.Currency;
import dev.economyengine.ledger.EarningRule;
import dev.economyengine.ledger.Economy;
import dev.economyengine.ledger.Money;
import dev.economyengine.ledger.Window;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Reads the economy file ({@code rules.file}): the currencies, the default one, and the earning rules
 * with their limits, as {@code config/economy.json} shows. A file of the first format, an object of
 * action -> {@code {baseAmount, multiplier}}, still loads: as the one currency {@code coins}, capped at
 * 1,000,000,000, without limits. Multipliers are read as exact decimals, never doubles. Anything wrong
 * stops start-up with a {@link ConfigException} naming the file and the path to the bad field, such as
 * {@code earningRules.daily_login.limits[0].period}. In the current format an unknown field is refused
 * too: a misspelt {@code limits} would otherwise leave an action without its limit, unnoticed.
 */
public final class RulesLoader {
    /** The economy shipped in the jar: the same file as {@code config/economy.json}. */
    static final String BUILT_IN = "/config/economy.json";

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            // A second object after the first (a bad merge) must not be dropped silently.
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final Set<String> TOP_LEVEL = Set.of("defaultCurrency", "currencies", "earningRules");
    private static final Set<String> CURRENCY_FIELDS = Set.of("cap", "earnLimits");
    private static final Set<String> RULE_FIELDS = Set.of("currency", "baseAmount", "multiplier", "limits");
    private static final Set<String> COUNT_LIMIT_FIELDS = Set.of("count", "period", "calendar");
    private static final Set<String> AMOUNT_LIMIT_FIELDS = Set.of("amount", "period", "calendar");

    private RulesLoader() {}

    /** The economy of {@code file}, or the built-in one when it is empty. */
    public static Economy load(Optional<Path> file) {
        if (file.isEmpty()) {
            try (InputStream in = RulesLoader.class.getResourceAsStream(BUILT_IN)) {
                if (in == null) {
                    throw new ConfigException("the built-in economy file is missing from the jar");
                }
                return parse(JSON.readTree(in), "built-in economy");
            } catch (IOException e) {
                throw new ConfigException("cannot read the built-in economy file: " + e.getMessage(), e);
            }
        }
        Path path = file.get();
        if (!Files.isRegularFile(path)) {
            throw new ConfigException("rules.file (ECONOMY_RULES_FILE): " + path + " does not exist");
        }
        try {
            return parse(JSON.readTree(path.toFile()), path.toString());
        } catch (IOException e) {
            throw new ConfigException("rules.file (ECONOMY_RULES_FILE): " + path + " is not valid JSON: "
                    + e.getMessage(), e);
        }
    }

    static Economy parse(JsonNode root, String source) {
        if (root == null || !root.isObject()) {
            throw new ConfigException(source + ": the economy file must be a JSON object");
        }
        boolean currentFormat = TOP_LEVEL.stream().anyMatch(root::has);
        try {
            return currentFormat ? new Reader(source).economy(root) : firstFormat(root, source);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(source + ": " + e.getMessage(), e);
        }
    }

    /** The first format: action -> {baseAmount, multiplier}; extra fields in a rule were always ignored. */
    private static Economy firstFormat(JsonNode root, String source) {
        Reader reader = new Reader(source);
        List<EarningRule> rules = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            String action = field.getKey();
            JsonNode rule = reader.object(field.getValue(), action);
            long base = reader.wholeNumber(rule.get("baseAmount"), action + ".baseAmount");
            try {
                rules.add(new EarningRule(action, base, reader.multiplier(rule.get("multiplier"), action)));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(source + ": " + e.getMessage(), e);
            }
        }
        return Economy.coinsOnly(rules);
    }

    /** Reads the current format, naming the path of every bad field. */
    private record Reader(String source) {
        Economy economy(JsonNode root) {
            onlyKnownFields(root, TOP_LEVEL, "");
            JsonNode defaultCurrency = root.get("defaultCurrency");
            if (defaultCurrency == null || !defaultCurrency.isTextual()) {
                throw bad("defaultCurrency", "must be a string naming one of the currencies");
            }
            JsonNode currencies = object(root.get("currencies"), "currencies");
            if (currencies.isEmpty()) {
                throw bad("currencies", "must define at least one currency");
            }
            List<Currency> parsedCurrencies = new ArrayList<>();
            for (Map.Entry<String, JsonNode> field : currencies.properties()) {
                parsedCurrencies.add(currency(field.getKey(), field.getValue()));
            }
            JsonNode rules = object(root.get("earningRules"), "earningRules");
            List<EarningRule> parsedRules = new ArrayList<>();
            for (Map.Entry<String, JsonNode> field : rules.properties()) {
                parsedRules.add(rule(field.getKey(), field.getValue()));
            }
            return new Economy(defaultCurrency.textValue(), parsedCurrencies, parsedRules);
        }

        private Currency currency(String code, JsonNode node) {
            String path = "currencies." + code;
            if (!Currency.isValidCode(code)) {
                throw bad(path, "a currency code is 1 to 32 lower-case letters, digits and underscores, starting"
                        + " with a letter ([a-z][a-z0-9_]{0,31})");
            }
            JsonNode currency = object(node, path);
            onlyKnownFields(currency, CURRENCY_FIELDS, path + ".");
            long cap = wholeNumber(currency.get("cap"), path + ".cap");
            if (cap < 1 || cap > Money.MAX_CAP) {
                throw bad(path + ".cap", "must be from 1 to " + Money.MAX_CAP + ", was " + cap);
            }
            List<AmountLimit> limits = new ArrayList<>();
            List<JsonNode> nodes = array(currency.get("earnLimits"), path + ".earnLimits");
            for (int i = 0; i < nodes.size(); i++) {
                String limitPath = path + ".earnLimits[" + i + "]";
                JsonNode limit = object(nodes.get(i), limitPath);
                onlyKnownFields(limit, AMOUNT_LIMIT_FIELDS, limitPath + ".");
                long amount = wholeNumber(limit.get("amount"), limitPath + ".amount");
                limits.add(at(limitPath + ".amount", () -> new AmountLimit(amount, window(limit, limitPath))));
            }
            return new Currency(code, cap, limits);
        }

        private EarningRule rule(String action, JsonNode node) {
            String path = "earningRules." + action;
            if (action.isBlank()) {
                throw bad(path, "an action must not be blank");
            }
            JsonNode rule = object(node, path);
            onlyKnownFields(rule, RULE_FIELDS, path + ".");
            JsonNode currency = rule.get("currency");
            if (currency == null || !currency.isTextual()) {
                throw bad(path + ".currency", "must be a string naming one of the currencies");
            }
            long base = wholeNumber(rule.get("baseAmount"), path + ".baseAmount");
            List<CountLimit> limits = new ArrayList<>();
            List<JsonNode> nodes = array(rule.get("limits"), path + ".limits");
            for (int i = 0; i < nodes.size(); i++) {
                String limitPath = path + ".limits[" + i + "]";
                JsonNode limit = object(nodes.get(i), limitPath);
                onlyKnownFields(limit, COUNT_LIMIT_FIELDS, limitPath + ".");
                long count = wholeNumber(limit.get("count"), limitPath + ".count");
                limits.add(at(limitPath + ".count", () -> new CountLimit(count, window(limit, limitPath))));
            }
            return at(path, () -> new EarningRule(action, currency.textValue(), base, multiplier(rule.get("multiplier"),
                    action), limits));
        }

        private Window window(JsonNode limit, String path) {
            JsonNode period = limit.get("period");
            JsonNode calendar = limit.get("calendar");
            if (period != null && !period.isNull() && !period.isTextual()) {
                throw bad(path + ".period", "must be an ISO-8601 duration such as \"PT1H\" or \"P1D\"");
            }
            if (calendar != null && !calendar.isNull() && !calendar.isBoolean()) {
                throw bad(path + ".calendar", "must be true or false");
            }
            boolean isCalendar = calendar != null && calendar.asBoolean();
            String text = period == null || period.isNull() ? null : period.textValue();
            try {
                return Window.of(text, isCalendar);
            } catch (IllegalArgumentException e) {
                throw bad(path + (text == null ? ".calendar" : ".period"), e.getMessage());
            }
        }

        JsonNode object(JsonNode node, String path) {
            if (node == null || !node.isObject()) {
                throw bad(path, "must be a JSON object");
            }
            return node;
        }

        private List<JsonNode> array(JsonNode node, String path) {
            if (node == null || node.isNull()) {
                return List.of();
            }
            if (!node.isArray()) {
                throw bad(path, "must be a JSON array");
            }
            List<JsonNode> elements = new ArrayList<>();
            node.forEach(elements::add);
            return elements;
        }

        long wholeNumber(JsonNode node, String path) {
            if (node == null || !node.isIntegralNumber() || !node.canConvertToLong()) {
                throw bad(path, "must be a whole number");
            }
            return node.longValue();
        }

        BigDecimal multiplier(JsonNode node, String action) {
            if (node == null || !node.isNumber()) {
                throw new ConfigException(source + ": " + action + ".multiplier must be a number");
            }
            return node.decimalValue();
        }

        private void onlyKnownFields(JsonNode object, Set<String> known, String prefix) {
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                if (!known.contains(field.getKey())) {
                    throw bad(prefix + field.getKey(), "is not a field of the economy file (known here: "
                            + new TreeSet<>(known) + ")");
                }
            }
        }

        /** Builds a value, naming {@code path} in the message if it refuses. */
        private <T> T at(String path, Supplier<T> build) {
            try {
                return build.get();
            } catch (IllegalArgumentException e) {
                throw bad(path, e.getMessage());
            }
        }

        private ConfigException bad(String path, String problem) {
            return new ConfigException(source + ": " + path + ": " + problem);
        }
    }
}
