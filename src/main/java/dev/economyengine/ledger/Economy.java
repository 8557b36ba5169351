package dev.economyengine.ledger;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The economy a worker runs: its currencies, the default one (of a spend that names none, and of the
 * embedded ledger's calls that name none), and the earning rules. Checked whole when built: every rule
 * credits a currency of the economy, from 1 to its cap, and no more than any of its earn limits allows
 * (an earn that could never pass is a mistake in the file).
 *
 * <p>{@link #rulesVersion()} is a digest of the economy's normalized content: the same for two files
 * that differ only in layout, key order, the order of limits or the spelling of a number, different
 * for any change that can change a decision. Every accepted earn records it.
 */
public final class Economy {
    private final String defaultCurrency;
    private final Map<String, Currency> currencies;
    private final EarningRules rules;
    private final String rulesVersion;

    public Economy(String defaultCurrency, Collection<Currency> currencies, Collection<EarningRule> rules) {
        Objects.requireNonNull(defaultCurrency, "defaultCurrency");
        Map<String, Currency> byCode = new LinkedHashMap<>();
        for (Currency currency : currencies) {
            if (byCode.put(currency.code(), currency) != null) {
                throw new IllegalArgumentException("currency " + currency.code() + " is defined twice");
            }
        }
        if (!byCode.containsKey(defaultCurrency)) {
            throw new IllegalArgumentException("defaultCurrency '" + defaultCurrency + "' is not one of the currencies "
                    + byCode.keySet());
        }
        for (EarningRule rule : rules) {
            check(rule, byCode);
        }
        this.defaultCurrency = defaultCurrency;
        this.currencies = Collections.unmodifiableMap(byCode);
        this.rules = new EarningRules(rules);
        this.rulesVersion = digest(canonical(defaultCurrency, byCode, rules));
    }

    /** The economy of the first format: one currency, coins, capped at {@link Money#MAX_BALANCE}. */
    public static Economy coinsOnly(Collection<EarningRule> rules) {
        return new Economy(Currency.COINS, List.of(new Currency(Currency.COINS, Money.MAX_BALANCE)), rules);
    }

    /** Coins only, and no earning rules: the embedded ledger's default. */
    public static Economy coinsOnly() {
        return coinsOnly(List.of());
    }

    private static void check(EarningRule rule, Map<String, Currency> currencies) {
        Currency currency = currencies.get(rule.currency());
        if (currency == null) {
            throw new IllegalArgumentException("earning rule " + rule.action() + ": currency '" + rule.currency()
                    + "' is not one of the currencies " + currencies.keySet());
        }
        long credited = rule.creditedAmount();
        if (credited > currency.cap()) {
            throw new IllegalArgumentException("earning rule " + rule.action() + ": credits " + credited + " "
                    + currency.code() + ", more than its cap of " + currency.cap());
        }
        for (AmountLimit limit : currency.earnLimits()) {
            if (credited > limit.amount()) {
                throw new IllegalArgumentException("earning rule " + rule.action() + ": credits " + credited + " "
                        + currency.code() + ", more than its earn limit '" + limit.describe(currency.code())
                        + "' allows, so no earn of it could ever pass");
            }
        }
    }

    public String defaultCurrency() {
        return defaultCurrency;
    }

    /** Every currency, in the order of the file. */
    public Collection<Currency> currencies() {
        return currencies.values();
    }

    public Optional<Currency> currency(String code) {
        return Optional.ofNullable(currencies.get(code));
    }

    public EarningRules rules() {
        return rules;
    }

    /** The first 16 hex digits of the SHA-256 of the economy's normalized content. */
    public String rulesVersion() {
        return rulesVersion;
    }

    /** Whether some rule or currency has a limit, so that earns must keep their usage. */
    public boolean hasLimits() {
        return currencies.values().stream().anyMatch(c -> !c.earnLimits().isEmpty())
                || rules.all().stream().anyMatch(r -> !r.limits().isEmpty());
    }

    @Override
    public String toString() {
        return "Economy " + rulesVersion + " (default " + defaultCurrency + ", currencies " + currencies.keySet()
                + ", actions " + new TreeMap<>(rulesByAction()).keySet() + ")";
    }

    private Map<String, EarningRule> rulesByAction() {
        Map<String, EarningRule> byAction = new TreeMap<>();
        rules.all().forEach(rule -> byAction.put(rule.action(), rule));
        return byAction;
    }

    /**
     * The normalized content, as canonical JSON: keys sorted, no spaces, numbers in their shortest exact
     * form, each limit's window as its kind and length, limits sorted.
     */
    static String canonical(String defaultCurrency, Map<String, Currency> currencies, Collection<EarningRule> rules) {
        StringBuilder json = new StringBuilder(512);
        json.append("{\"currencies\":{");
        List<Currency> sortedCurrencies = new ArrayList<>(currencies.values());
        sortedCurrencies.sort(Comparator.comparing(Currency::code));
        for (int i = 0; i < sortedCurrencies.size(); i++) {
            Currency currency = sortedCurrencies.get(i);
            json.append(i == 0 ? "" : ",").append(string(currency.code())).append(":{\"cap\":").append(currency.cap())
                    .append(",\"earnLimits\":").append(limits(currency.earnLimits())).append('}');
        }
        json.append("},\"defaultCurrency\":").append(string(defaultCurrency)).append(",\"earningRules\":{");
        List<EarningRule> sortedRules = new ArrayList<>(rules);
        sortedRules.sort(Comparator.comparing(EarningRule::action));
        for (int i = 0; i < sortedRules.size(); i++) {
            EarningRule rule = sortedRules.get(i);
            json.append(i == 0 ? "" : ",").append(string(rule.action())).append(":{\"baseAmount\":")
                    .append(rule.baseAmount()).append(",\"currency\":").append(string(rule.currency()))
                    .append(",\"limits\":").append(limits(rule.limits())).append(",\"multiplier\":")
                    .append(number(rule.multiplier())).append('}');
        }
        return json.append("}}").toString();
    }

    private static String limits(List<? extends Limit> limits) {
        List<String> each = new ArrayList<>();
        for (Limit limit : limits) {
            String quantity = limit instanceof CountLimit ? "\"count\":" : "\"amount\":";
            each.add("{" + quantity + limit.max() + ",\"window\":" + window(limit.window()) + "}");
        }
        each.sort(Comparator.naturalOrder());
        return "[" + String.join(",", each) + "]";
    }

    private static String window(Window window) {
        if (window instanceof Window.Rolling rolling) {
            return "{\"rollingMillis\":" + rolling.lengthMillis() + "}";
        }
        if (window instanceof Window.Calendar calendar) {
            return "{\"calendar\":\"" + calendar.unit().name() + "\"}";
        }
        return "{\"lifetime\":true}";
    }

    private static String number(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        return (stripped.scale() < 0 ? stripped.setScale(0) : stripped).toPlainString();
    }

    /** A JSON string: quotes, backslashes and control characters escaped. */
    private static String string(String text) {
        StringBuilder quoted = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                quoted.append('\\').append(c);
            } else if (c < 0x20) {
                quoted.append(String.format("\\u%04x", (int) c));
            } else {
                quoted.append(c);
            }
        }
        return quoted.append('"').toString();
    }

    private static String digest(String canonical) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }
}
