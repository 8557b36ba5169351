package dev.economyengine.store;

import dev.economyengine.ledger.AmountLimit;
import dev.economyengine.ledger.CountLimit;
import dev.economyengine.ledger.Currency;
import dev.economyengine.ledger.EarningRule;
import dev.economyengine.ledger.Economy;
import dev.economyengine.ledger.Request;
import dev.economyengine.ledger.Transaction;
import java.util.Collection;
import java.util.List;

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

    LimitSubjects(Economy economy) {
        this.economy = economy;
    }

    /** A user's usage of one subject's limits. */
    record UsageKey(String userId, String subject) {}

    List<CountLimit> countLimits(String action) {
        return action == null ? List.of() : economy.rules().forAction(action).map(EarningRule::limits).orElse(List.of());
    }

    List<AmountLimit> amountLimits(String currency) {
        return economy.currency(currency).map(Currency::earnLimits).orElse(List.of());
    }

    UsageKey actionKey(String userId, String action) {
        return new UsageKey(userId, ACTION + action);
    }

    UsageKey currencyKey(String userId, String currency) {
        return new UsageKey(userId, CURRENCY + currency);
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
