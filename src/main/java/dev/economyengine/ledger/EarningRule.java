package dev.economyengine.ledger;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * What an action earns: {@code floor(baseAmount x multiplier)} coins. The multiplier is a decimal,
 * never a double, so that 0.1 x 30 is exactly 3 and not 2.9999.
 */
public record EarningRule(String action, long baseAmount, BigDecimal multiplier) {

    public EarningRule {
        Objects.requireNonNull(action, "action");
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
        if (credited.signum() <= 0 || credited.compareTo(BigDecimal.valueOf(Money.MAX_AMOUNT)) > 0) {
            throw new IllegalArgumentException(action + ": credits " + credited
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
