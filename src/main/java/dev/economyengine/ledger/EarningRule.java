package dev.economyengine.ledger;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Objects;

/**
 * What an action earns: {@code floor(baseAmount x multiplier)} of its currency, within the rule's count
 * limits. The multiplier is a decimal, never a double, so that 0.1 x 30 is exactly 3 and not 2.9999.
 * That the amount fits the currency's cap is checked by the {@link Economy} that holds the rule.
 */
public record EarningRule(String action, String currency, long baseAmount, BigDecimal multiplier,
        List<CountLimit> limits) {

    public EarningRule {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(multiplier, "multiplier");
        if (action.isBlank()) {
            throw new IllegalArgumentException("action must not be blank");
        }
        if (baseAmount < 1) {
            throw new IllegalArgumentException(action + ": baseAmount must be at least 1, was " + baseAmount);
        }
        if (multiplier.signum() <= 0) {
            throw new IllegalArgumentException(action + ": multiplier must be positive, was " + multiplier);
        }
        BigDecimal credited = credited(baseAmount, multiplier);
        if (credited.signum() <= 0 || credited.compareTo(BigDecimal.valueOf(Money.MAX_CAP)) > 0) {
            throw new IllegalArgumentException(action + ": credits " + credited.toPlainString()
                    + "; an action must credit from 1 to " + Money.MAX_CAP);
        }
        limits = List.copyOf(limits);
    }

    /** A rule of the first format: coins, no limits, at most {@link Money#MAX_AMOUNT} per earn. */
    public EarningRule(String action, long baseAmount, BigDecimal multiplier) {
        this(action, Currency.COINS, baseAmount, multiplier, List.of());
        if (creditedAmount() > Money.MAX_AMOUNT) {
            throw new IllegalArgumentException(action + ": credits " + creditedAmount()
                    + " coins; an action must credit from 1 to " + Money.MAX_AMOUNT);
        }
    }

    public long creditedAmount() {
        return credited(baseAmount, multiplier).longValueExact();
    }

    private static BigDecimal credited(long baseAmount, BigDecimal multiplier) {
        return BigDecimal.valueOf(baseAmount).multiply(multiplier).setScale(0, RoundingMode.FLOOR);
    }
}
