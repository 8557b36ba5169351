package dev.economyengine.store;

import dev.economyengine.ledger.Accounts;
import dev.economyengine.ledger.AmountLimit;
import dev.economyengine.ledger.BalanceChange;
import dev.economyengine.ledger.CountLimit;
import dev.economyengine.ledger.Entry;
import dev.economyengine.ledger.LimitUsage;
import dev.economyengine.ledger.Outcome;
import dev.economyengine.ledger.Transaction;
import dev.economyengine.ledger.UserBalances;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes decided outcomes inside the caller's open SQLite transaction, exactly as they were decided:
 * same transaction numbers, balances and versions, whether {@link BatchDecider} decided them a moment
 * ago or they are read back from the changelog (whose accounts are then read in one query,
 * {@link KeyLookups}). Each table gets one batched statement, and each touched account and each
 * currency's reserve are written once per batch, however many of its outcomes touched them. Not
 * thread-safe: the owning {@link ShardStore} serialises batches.
 */
final class BatchWriter {
    private final Connection connection;
    private final KeyLookups lookups;
    private final PreparedStatement insertAccount;
    private final PreparedStatement updateAccount;
    private final PreparedStatement insertTransaction;
    private final PreparedStatement insertEntry;
    private final PreparedStatement insertResult;
    private final PreparedStatement insertShortResult;
    private final PreparedStatement moveReserve;
    private final PreparedStatement upsertUsage;
    private final LimitSubjects subjects;
    /** The reserve account of each currency, by code; read again after a failed write. */
    private Map<String, Long> reserves;

    BatchWriter(Connection connection, KeyLookups lookups, LimitSubjects subjects) throws SQLException {
        this.connection = connection;
        this.lookups = lookups;
        this.subjects = subjects;
        insertAccount = connection.prepareStatement(
                "INSERT INTO accounts (account_id, name, currency, balance, version) VALUES (?, ?, ?, ?, ?)");
        updateAccount = connection.prepareStatement("UPDATE accounts SET balance = ?, version = ? WHERE account_id = ?");
        insertTransaction = connection.prepareStatement("""
                INSERT INTO transactions (tx_seq, user_id, request_id, type, currency, amount, reason, created_at,
                  action, rules_version, recorded_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""");
        insertEntry = connection.prepareStatement(
                "INSERT INTO entries (tx_seq, account_id, debit, credit) VALUES (?, ?, ?, ?)");
        insertResult = connection.prepareStatement(StoredResults.INSERT);
        insertShortResult = connection.prepareStatement(StoredResults.INSERT_SHORT);
        moveReserve = connection.prepareStatement("UPDATE accounts SET balance = balance + ? WHERE account_id = ?");
        upsertUsage = connection.prepareStatement("""
                INSERT INTO limit_usage (user_id, subject, usage) VALUES (?, ?, ?)
                ON CONFLICT (user_id, subject) DO UPDATE SET usage = excluded.usage""");
        reserves = readReserves();
    }

    /**
     * Writes outcomes read back from the changelog (each one a shard stores: see
     * {@link BatchDecider#stored}), numbering new accounts after the last stored; the caller commits.
     * A currency the economy does not have (the records were decided under another economy file) is
     * recorded first. The usages of limits are rebuilt from the earns, judged at the times they were
     * judged at first, so that they are what the worker that decided them had. Returns the balances the
     * batch leaves behind, one per changed user.
     */
    List<UserBalances> write(List<Outcome> outcomes) throws SQLException {
        Set<String> users = new LinkedHashSet<>(capacityFor(outcomes.size()));
        Set<LimitSubjects.UsageKey> usageKeys = new LinkedHashSet<>();
        for (Outcome outcome : outcomes) {
            outcome.transaction().ifPresent(transaction -> {
                users.add(transaction.userId());
                requireReserve(transaction.currency());
                subjects.keysOf(transaction, usageKeys);
            });
        }
        Map<LimitSubjects.UsageKey, LimitUsage> usages = usageKeys.isEmpty()
                ? Map.of()
                : usagesAfter(outcomes, lookups.usages(usageKeys));
        Map<String, UserAccounts> accounts = lookups.accounts(users);
        long nextAccountId = lookups.nextAccountId();
        for (Outcome outcome : outcomes) {
            if (outcome.transaction().isEmpty()) {
                continue;
            }
            BalanceChange change = changeOf(outcome);
            UserAccounts user = accounts.getOrDefault(change.userId(), UserAccounts.NONE);
            UserAccounts.Account before = user.account(change.currency());
            long accountId = before == null ? nextAccountId++ : before.accountId();
            accounts.put(change.userId(), user.changed(change.currency(),
                    new UserAccounts.Account(accountId, change.balance()), change.version()));
        }
        return write(outcomes, accounts, usages);
    }

    /** The usages the accepted earns among the outcomes leave, from the stored ones. */
    private Map<LimitSubjects.UsageKey, LimitUsage> usagesAfter(List<Outcome> outcomes,
            Map<LimitSubjects.UsageKey, LimitUsage> stored) {
        Map<LimitSubjects.UsageKey, LimitUsage> usages = new HashMap<>(stored);
        Map<LimitSubjects.UsageKey, LimitUsage> changed = new LinkedHashMap<>();
        for (Outcome outcome : outcomes) {
            Transaction earn = outcome.transaction().orElse(null);
            if (earn == null || earn.basis() == null) {
                continue;
            }
            long at = earn.basis().recordedAt().toEpochMilli();
            String action = earn.basis().action();
            List<CountLimit> countLimits = subjects.countLimits(action);
            if (!countLimits.isEmpty()) {
                LimitSubjects.UsageKey key = subjects.actionKey(earn.userId(), action);
                changed.put(key, usages.getOrDefault(key, LimitUsage.NONE).recorded(countLimits, at, 1));
                usages.put(key, changed.get(key));
            }
            List<AmountLimit> amountLimits = subjects.amountLimits(earn.currency());
            if (!amountLimits.isEmpty()) {
                LimitSubjects.UsageKey key = subjects.currencyKey(earn.userId(), earn.currency());
                changed.put(key, usages.getOrDefault(key, LimitUsage.NONE).recorded(amountLimits, at, earn.amount()));
                usages.put(key, changed.get(key));
            }
        }
        return changed;
    }

    /**
     * Writes outcomes whose users' accounts, as the outcomes leave them, and the usages of limits they
     * change are known; the caller commits.
     */
    List<UserBalances> write(List<Outcome> outcomes, Map<String, UserAccounts> accountsAfter,
            Map<LimitSubjects.UsageKey, LimitUsage> usagesAfter) throws SQLException {
        for (Map.Entry<LimitSubjects.UsageKey, LimitUsage> usage : usagesAfter.entrySet()) {
            upsertUsage.setString(1, usage.getKey().userId());
            upsertUsage.setString(2, usage.getKey().subject());
            upsertUsage.setString(3, LimitUsageCodec.encode(usage.getValue()));
            upsertUsage.addBatch();
        }
        Map<AccountKey, AccountState> changed = new LinkedHashMap<>(capacityFor(accountsAfter.size()));
        Map<String, Long> reserveDeltas = new HashMap<>(4);
        for (Outcome outcome : outcomes) {
            Long sequence = null;
            Transaction transaction = outcome.transaction().orElse(null);
            if (transaction != null) {
                BalanceChange change = changeOf(outcome);
                String currency = transaction.currency();
                long accountId = accountsAfter.get(transaction.userId()).account(currency).accountId();
                AccountState account = changed.computeIfAbsent(new AccountKey(transaction.userId(), currency),
                        key -> new AccountState(accountId));
                sequence = TransactionIds.sequence(transaction.transactionId());
                insertTransaction(transaction, sequence);
                addEntries(transaction, sequence, accountId);
                account.balance = change.balance();
                account.version = change.version();
                reserveDeltas.merge(currency, -transaction.delta(), Long::sum);
            }
            if (StoredResults.storedShort(outcome.result(), transaction)) {
                StoredResults.bindShort(insertShortResult, outcome.result(), sequence);
                insertShortResult.addBatch();
            } else {
                StoredResults.bindWhole(insertResult, outcome.result(), sequence);
                insertResult.addBatch();
            }
        }
        return write(changed, reserveDeltas, accountsAfter);
    }

    private static BalanceChange changeOf(Outcome outcome) {
        return outcome.balanceChange().orElseThrow(
                () -> new IllegalArgumentException("a transaction without its balance change"));
    }

    private List<UserBalances> write(Map<AccountKey, AccountState> changed, Map<String, Long> reserveDeltas,
            Map<String, UserAccounts> accountsAfter) throws SQLException {
        Set<String> users = new LinkedHashSet<>(capacityFor(changed.size()));
        // Account numbers are handed out in order from one past the largest stored, and no account is
        // ever deleted: below that number an account is in the file, from it on it is new. An UPDATE
        // runs only the schema's cap trigger for updates, and only for a credit; an upsert ran the
        // insert trigger's cap lookup too, for every account, and probed both keys of the table.
        long firstNewAccountId = lookups.nextAccountId();
        int updated = 0;
        for (Map.Entry<AccountKey, AccountState> entry : changed.entrySet()) {
            AccountState account = entry.getValue();
            if (account.accountId < firstNewAccountId) {
                updateAccount.setLong(1, account.balance);
                updateAccount.setLong(2, account.version);
                updateAccount.setLong(3, account.accountId);
                updateAccount.addBatch();
                updated++;
            } else {
                insertAccount.setLong(1, account.accountId);
                insertAccount.setString(2, Accounts.user(entry.getKey().userId()));
                insertAccount.setString(3, entry.getKey().currency());
                insertAccount.setLong(4, account.balance);
                insertAccount.setLong(5, account.version);
                insertAccount.addBatch();
            }
            users.add(entry.getKey().userId());
        }
        // Parents first, as the foreign keys read: accounts and transactions before entries and results.
        insertAccount.executeBatch();
        requireEveryRowUpdated(updateAccount.executeBatch(), updated);
        insertTransaction.executeBatch();
        insertEntry.executeBatch();
        insertResult.executeBatch();
        insertShortResult.executeBatch();
        for (Map.Entry<String, Long> delta : reserveDeltas.entrySet()) {
            if (delta.getValue() != 0) {
                moveReserve.setLong(1, delta.getValue());
                moveReserve.setLong(2, reserve(delta.getKey()));
                moveReserve.addBatch();
            }
        }
        moveReserve.executeBatch();
        upsertUsage.executeBatch();
        List<UserBalances> balances = new ArrayList<>(users.size());
        for (String user : users) {
            balances.add(accountsAfter.get(user).balances(user));
        }
        return balances;
    }

    /** Drops statements batched by a failed {@link #write}, so that a retry starts clean. */
    void clear() throws SQLException {
        for (PreparedStatement statement : List.of(insertAccount, updateAccount, insertTransaction, insertEntry, insertResult,
                insertShortResult, moveReserve, upsertUsage)) {
            statement.clearBatch();
        }
        // A reserve recorded by the failed write was rolled back with it.
        reserves = readReserves();
    }

    /** An account below the next number that is not in the file would be a bug: never a silent no-op. */
    private static void requireEveryRowUpdated(int[] counts, int expected) {
        int rows = 0;
        for (int count : counts) {
            rows += count;
        }
        if (counts.length != expected || rows != expected) {
            throw new StoreException("updated " + rows + " of " + expected + " stored accounts: run verify");
        }
    }

    private void insertTransaction(Transaction transaction, long sequence) throws SQLException {
        insertTransaction.setLong(1, sequence);
        insertTransaction.setString(2, transaction.userId());
        insertTransaction.setString(3, transaction.requestId());
        insertTransaction.setString(4, transaction.type().name());
        insertTransaction.setString(5, transaction.currency());
        insertTransaction.setLong(6, transaction.amount());
        insertTransaction.setString(7, transaction.reason());
        insertTransaction.setLong(8, transaction.createdAt().toEpochMilli());
        Transaction.EarnBasis basis = transaction.basis();
        if (basis == null) {
            insertTransaction.setNull(9, Types.VARCHAR);
            insertTransaction.setNull(10, Types.VARCHAR);
            insertTransaction.setNull(11, Types.INTEGER);
        } else {
            insertTransaction.setString(9, basis.action());
            insertTransaction.setString(10, basis.rulesVersion());
            insertTransaction.setLong(11, basis.recordedAt().toEpochMilli());
        }
        insertTransaction.addBatch();
    }

    private void addEntries(Transaction transaction, long sequence, long userAccountId) throws SQLException {
        for (Entry entry : transaction.entries()) {
            long accountId = entry.account().equals(Accounts.RESERVE) ? reserve(entry.currency()) : userAccountId;
            insertEntry.setLong(1, sequence);
            insertEntry.setLong(2, accountId);
            insertEntry.setLong(3, entry.debit());
            insertEntry.setLong(4, entry.credit());
            insertEntry.addBatch();
        }
    }

    private long reserve(String currency) {
        Long id = reserves.get(currency);
        if (id == null) {
            throw new IllegalStateException("no reserve account for currency " + currency);
        }
        return id;
    }

    /** Records a currency the economy does not have, and its reserve, inside the caller's transaction. */
    private void requireReserve(String currency) {
        if (reserves.containsKey(currency)) {
            return;
        }
        try {
            Schema.recordForeignCurrency(connection, currency);
            reserves = readReserves();
        } catch (SQLException e) {
            throw new StoreException("cannot record currency " + currency + ": " + e.getMessage(), e);
        }
    }

    private Map<String, Long> readReserves() throws SQLException {
        Map<String, Long> byCurrency = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT currency, account_id FROM accounts WHERE name = '" + Accounts.RESERVE + "'");
                ResultSet row = select.executeQuery()) {
            while (row.next()) {
                byCurrency.put(row.getString(1), row.getLong(2));
            }
        }
        return byCurrency;
    }

    /** A map capacity that holds {@code entries} without rehashing: batches run to thousands of keys. */
    static int capacityFor(int entries) {
        return (int) (entries / 0.75f) + 1;
    }

    /** An account: a user's, in one currency. */
    private record AccountKey(String userId, String currency) {}

    /** An account row as the batch leaves it. */
    private static final class AccountState {
        final long accountId;
        long balance;
        long version;

        AccountState(long accountId) {
            this.accountId = accountId;
        }
    }
}
