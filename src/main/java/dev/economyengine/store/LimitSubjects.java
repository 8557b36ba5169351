package dev.economyengine.store;

import dev.economyengine.ledger.AmountLimit;
import dev.economyengine.ledger.CountLimit;
import dev.economyengine.ledger.Currency;
import dev.economyengine.ledger.EarningRule;
import dev.economyengine.ledger.Economy;
import dev.economyengine.ledger.Request;
import dev.economyengine.ledger.Transaction;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which usages of limits an earn reads and writes, and under which key they are stored: its action's
 * ({@code action:<name>}), if the action's rule has count limits, and its currency's
 * ({@code currency:<code>}), if the currency has earn limits. Nothing is kept for a subject without
 * limits; a limit added to the economy file counts the earns accepted from then on.
 */
final class LimitSubjects {
    private static final String ACTION = "action:";
    private static final String CURRENCY = "currency:";

    private final Economy economy;
    /**
     * Each rule's count limits and each currency's amount limits, and their subjects' keys, made once:
     * every earn asks, and a key made of a fresh String hashes all its characters again each time.
     */
    private final Map<String, List<CountLimit>> countLimitsByAction = new HashMap<>();
    private final Map<String, List<AmountLimit>> amountLimitsByCurrency = new HashMap<>();
    private final Map<String, String> actionSubjects = new HashMap<>();
    private final Map<String, String> currencySubjects = new HashMap<>();

    LimitSubjects(Economy economy) {
        this.economy = economy;
        for (EarningRule rule : economy.rules().all()) {
            countLimitsByAction.put(rule.action(), List.copyOf(rule.limits()));
            actionSubjects.put(rule.action(), ACTION + rule.action());
        }
        for (Currency currency : economy.currencies()) {
            amountLimitsByCurrency.put(currency.code(), List.copyOf(currency.earnLimits()));
            currencySubjects.put(currency.code(), CURRENCY + currency.code());
        }
    }

    /** A user's usage of one subject's limits. */
    record UsageKey(String userId, String subject) {}

    List<CountLimit> countLimits(String action) {
        return action == null ? List.of() : countLimitsByAction.getOrDefault(action, List.of());
    }

    List<AmountLimit> amountLimits(String currency) {
        return currency == null ? List.of() : amountLimitsByCurrency.getOrDefault(currency, List.of());
    }

    /** Whether an earn of {@code action} in {@code currency} has any limit to judge: most earns have none. */
    boolean limited(String action, String currency) {
        return !countLimits(action).isEmpty() || !amountLimits(currency).isEmpty();
    }

    UsageKey actionKey(String userId, String action) {
        String subject = actionSubjects.get(action);
        return new UsageKey(userId, subject != null ? subject : ACTION + action);
    }

    UsageKey currencyKey(String userId, String currency) {
        String subject = currencySubjects.get(currency);
        return new UsageKey(userId, subject != null ? subject : CURRENCY + currency);
    }

    /** The name of the subject of a key: the action or currency, as a refusal's message names it. */
    static String subjectName(String subject) {
        return subject.substring(subject.indexOf(':') + 1);
    }

    /** The keys an earn request reads, if it is one: for the batch's lookups. */
    void keysOf(Request request, Collection<UsageKey> into) {
        if (!(request instanceof Request.Earn earn)) {
            return;
        }
        if (!countLimits(earn.action()).isEmpty()) {
            into.add(actionKey(earn.userId(), earn.action()));
        }
        String currency = earn.currency() != null ? earn.currency() : economy.defaultCurrency();
        if (!amountLimits(currency).isEmpty()) {
            into.add(currencyKey(earn.userId(), currency));
        }
    }

    /** The keys an accepted earn read back from the changelog writes: for a restore's lookups. */
    void keysOf(Transaction transaction, Collection<UsageKey> into) {
        Transaction.EarnBasis basis = transaction.basis();
        if (basis == null) {
            // An earn of a version that judged no limits: it counts towards none.
            return;
        }
        if (!countLimits(basis.action()).isEmpty()) {
            into.add(actionKey(transaction.userId(), basis.action()));
        }
        if (!amountLimits(transaction.currency()).isEmpty()) {
            into.add(currencyKey(transaction.userId(), transaction.currency()));
        }
    }
}
