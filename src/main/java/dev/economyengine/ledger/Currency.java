package dev.economyengine.ledger;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A currency of the economy: its code, the cap no balance in it may pass, and the limits on what one
 * user may earn of it.
 *
 * @param code {@code [a-z][a-z0-9_]{0,31}}, such as {@code coins} or {@code gems}
 * @param cap from 1 to {@link Money#MAX_CAP}
 */
public record Currency(String code, long cap, List<AmountLimit> earnLimits) {
    /** The one currency of an economy file of the first format, where every rule credits coins. */
    public static final String COINS = "coins";
    private static final Pattern CODE = Pattern.compile("[a-z][a-z0-9_]{0,31}");

    public Currency {
        Objects.requireNonNull(code, "code");
        if (!isValidCode(code)) {
            throw new IllegalArgumentException("currency code must match " + CODE + ", was '" + code + "'");
        }
        if (cap < 1 || cap > Money.MAX_CAP) {
            throw new IllegalArgumentException(code + ": cap must be a whole number from 1 to " + Money.MAX_CAP
                    + ", was " + cap);
        }
        earnLimits = List.copyOf(earnLimits);
    }

    /** A currency without earn limits. */
    public Currency(String code, long cap) {
        this(code, cap, List.of());
    }

    public static boolean isValidCode(String code) {
        return code != null && CODE.matcher(code).matches();
    }

    /** Whether an earn or spend may move this amount of the currency: from 1 to its cap. */
    public boolean isValidAmount(long amount) {
        return amount >= 1 && amount <= cap;
    }
}
