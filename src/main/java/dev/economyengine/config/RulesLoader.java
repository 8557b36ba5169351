package dev.economyengine.config;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.economyengine.ledger.EarningRule;
import dev.economyengine.ledger.EarningRules;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads earning rules from JSON: {@code {"daily_login": {"baseAmount": 10, "multiplier": 1.0}, ...}}.
 * Multipliers are read as exact decimals, never doubles.
 */
public final class RulesLoader {
    /** The rules shipped in the jar: the same file as {@code config/earning-rules.json}. */
    static final String BUILT_IN = "/config/earning-rules.json";

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            // A second object after the first (a bad merge) must not be dropped silently.
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private RulesLoader() {}

    public static EarningRules load(Optional<Path> file) {
        if (file.isEmpty()) {
            try (InputStream in = RulesLoader.class.getResourceAsStream(BUILT_IN)) {
                if (in == null) {
                    throw new ConfigException("the built-in earning rules are missing from the jar");
                }
                return parse(JSON.readTree(in), "built-in rules");
            } catch (IOException e) {
                throw new ConfigException("cannot read the built-in earning rules: " + e.getMessage(), e);
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

    static EarningRules parse(JsonNode root, String source) {
        if (root == null || !root.isObject()) {
            throw new ConfigException(source + ": earning rules must be a JSON object of action -> rule");
        }
        List<EarningRule> rules = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            rules.add(rule(field.getKey(), field.getValue(), source));
        }
        return new EarningRules(rules);
    }

    private static EarningRule rule(String action, JsonNode rule, String source) {
        JsonNode base = rule.get("baseAmount");
        JsonNode multiplier = rule.get("multiplier");
        if (base == null || !base.isIntegralNumber() || !base.canConvertToLong()) {
            throw new ConfigException(source + ": " + action + ".baseAmount must be a whole number");
        }
        if (multiplier == null || !multiplier.isNumber()) {
            throw new ConfigException(source + ": " + action + ".multiplier must be a number");
        }
        try {
            return new EarningRule(action, base.longValue(), multiplier.decimalValue());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(source + ": " + e.getMessage(), e);
        }
    }
}
