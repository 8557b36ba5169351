package dev.economyengine.ledger;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The earning rules by action name. */
public final class EarningRules {
    private final Map<String, EarningRule> byAction;

    public EarningRules(Collection<EarningRule> rules) {
        this.byAction = rules.stream().collect(Collectors.toUnmodifiableMap(EarningRule::action, Function.identity()));
    }

    public Optional<EarningRule> forAction(String action) {
        return Optional.ofNullable(byAction.get(action));
    }

    public Collection<EarningRule> all() {
        return byAction.values();
    }
}
