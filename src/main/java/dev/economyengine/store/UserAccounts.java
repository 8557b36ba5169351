package dev.economyengine.store;

import dev.economyengine.ledger.UserBalances;
import java.util.HashMap;
import java.util.Map;

/**
 * A user's accounts, one per currency the user has held, and the version of the last change to any
 * of them. Immutable: a change makes a new one, so a pending batch's state is never changed by a later
 * batch. Each account row stores the user's version as it was after that account's last change; the
 * user's version is the largest of them.
 */
record UserAccounts(long version, Map<String, Account> byCurrency) {
    static final UserAccounts NONE = new UserAccounts(0, Map.of());

    /** An account row as stored. */
    record Account(long accountId, long balance) {}

    long balance(String currency) {
        Account account = byCurrency.get(currency);
        return account == null ? 0 : account.balance();
    }

    /** The account in {@code currency}, or null if the user never held it. */
    Account account(String currency) {
        return byCurrency.get(currency);
    }

    /** These accounts after a change of one of them, which is the user's change number {@code version}. */
    UserAccounts changed(String currency, Account account, long version) {
        // Most users hold one currency: every accepted request makes one of these, so no map is copied then.
        if (byCurrency.isEmpty() || byCurrency.size() == 1 && byCurrency.containsKey(currency)) {
            return new UserAccounts(version, Map.of(currency, account));
        }
        Map<String, Account> changed = new HashMap<>(byCurrency);
        changed.put(currency, account);
        return new UserAccounts(version, Map.copyOf(changed));
    }

    /** These accounts and one more read from the file, whose row holds the user's version then. */
    UserAccounts with(String currency, Account account, long rowVersion) {
        return changed(currency, account, Math.max(version, rowVersion));
    }

    UserBalances balances(String userId) {
        if (byCurrency.size() == 1) {
            Map.Entry<String, Account> only = byCurrency.entrySet().iterator().next();
            return new UserBalances(userId, Map.of(only.getKey(), only.getValue().balance()), version);
        }
        Map<String, Long> balances = new HashMap<>();
        byCurrency.forEach((currency, account) -> balances.put(currency, account.balance()));
        return new UserBalances(userId, balances, version);
    }
}
