package dev.economyengine.store;

import dev.economyengine.ledger.Accounts;
import dev.economyengine.ledger.BalanceChange;
import dev.economyengine.ledger.Outcome;
import dev.economyengine.ledger.Transaction;
import dev.economyengine.ledger.UserBalance;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
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
 * {@link KeyLookups}). Each table gets one batched statement, and each touched user's row and
 * the reserve row are written once per batch, however many of its outcomes touched them. Not
 * thread-safe: the owning {@link ShardStore} serialises batches.
 */
final class BatchWriter {
    private final KeyLookups lookups;
    private final PreparedStatement upsertAccount;
    private final PreparedStatement insertTransaction;
    private final PreparedStatement insertEntry;
    private final PreparedStatement insertResult;
    private final PreparedStatement moveReserve;

    BatchWriter(Connection connection, KeyLookups lookups) throws SQLException {
        this.lookups = lookups;
        upsertAccount = connection.prepareStatement("""
                INSERT INTO accounts (account_id, name, balance, version) VALUES (?, ?, ?, ?)
                ON CONFLICT (account_id) DO UPDATE SET balance = excluded.balance, version = excluded.version""");
        insertTransaction = connection.prepareStatement("""
                INSERT INTO transactions (tx_seq, user_id, request_id, type, amount, reason, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)""");
        insertEntry = connection.prepareStatement(
                "INSERT INTO entries (tx_seq, account_id, debit, credit) VALUES (?, ?, ?, ?)");
        insertResult = connection.prepareStatement(StoredResults.INSERT);
        moveReserve = connection.prepareStatement("UPDATE accounts SET balance = balance + ? WHERE account_id = "
                + Schema.RESERVE_ACCOUNT_ID);
    }

    /**
     * Writes outcomes read back from the changelog (each one a shard stores: see
     * {@link BatchDecider#stored}), numbering new accounts after the last stored; the caller commits.
     * Returns the balances the batch leaves behind, one per changed user.
     */
    List<UserBalance> write(List<Outcome> outcomes) throws SQLException {
        Set<String> users = new LinkedHashSet<>(capacityFor(outcomes.size()));
        outcomes.forEach(outcome -> outcome.transaction().ifPresent(transaction -> users.add(transaction.userId())));
        Map<String, Long> accountIds = new HashMap<>(capacityFor(users.size()));
        lookups.accounts(users).forEach((user, account) -> accountIds.put(user, account.accountId()));
        long nextAccountId = lookups.nextAccountId();
        for (String user : users) {
            if (!accountIds.containsKey(user)) {
                accountIds.put(user, nextAccountId++);
            }
        }
        return write(outcomes, accountIds);
    }

    /** Writes outcomes whose users' account numbers are known; the caller commits. */
    List<UserBalance> write(List<Outcome> outcomes, Map<String, Long> accountIds) throws SQLException {
        Map<String, AccountState> accounts = new LinkedHashMap<>(capacityFor(accountIds.size()));
        long reserveDelta = 0;
        for (Outcome outcome : outcomes) {
            Long sequence = null;
            Transaction transaction = outcome.transaction().orElse(null);
            if (transaction != null) {
                BalanceChange change = outcome.balanceChange().orElseThrow(
                        () -> new IllegalArgumentException("a transaction without its balance change"));
                AccountState account = accounts.computeIfAbsent(transaction.userId(),
                        user -> new AccountState(accountIds.get(user)));
                sequence = TransactionIds.sequence(transaction.transactionId());
                insertTransaction(transaction, sequence);
                addEntries(transaction, sequence, account.accountId);
                account.balance = change.balance();
                account.version = change.version();
                reserveDelta -= transaction.delta();
            }
            StoredResults.bind(insertResult, outcome.result(), transaction, sequence);
            insertResult.addBatch();
        }
        return write(accounts, reserveDelta);
    }

    private List<UserBalance> write(Map<String, AccountState> accounts, long reserveDelta) throws SQLException {
        List<UserBalance> changed = new ArrayList<>(accounts.size());
        for (Map.Entry<String, AccountState> entry : accounts.entrySet()) {
            AccountState account = entry.getValue();
            upsertAccount.setLong(1, account.accountId);
            upsertAccount.setString(2, Accounts.user(entry.getKey()));
            upsertAccount.setLong(3, account.balance);
            upsertAccount.setLong(4, account.version);
            upsertAccount.addBatch();
            changed.add(new UserBalance(entry.getKey(), account.balance, account.version));
        }
        // Parents first, as the foreign keys read: accounts and transactions before entries and results.
        upsertAccount.executeBatch();
        insertTransaction.executeBatch();
        insertEntry.executeBatch();
        insertResult.executeBatch();
        if (reserveDelta != 0) {
            moveReserve.setLong(1, reserveDelta);
            moveReserve.executeUpdate();
        }
        return changed;
    }

    /** Drops statements batched by a failed {@link #write}, so that a retry starts clean. */
    void clear() throws SQLException {
        for (PreparedStatement statement : List.of(upsertAccount, insertTransaction, insertEntry, insertResult)) {
            statement.clearBatch();
        }
    }

    private void insertTransaction(Transaction transaction, long sequence) throws SQLException {
        insertTransaction.setLong(1, sequence);
        insertTransaction.setString(2, transaction.userId());
        insertTransaction.setString(3, transaction.requestId());
        insertTransaction.setString(4, transaction.type().name());
        insertTransaction.setLong(5, transaction.amount());
        insertTransaction.setString(6, transaction.reason());
        insertTransaction.setLong(7, transaction.createdAt().toEpochMilli());
        insertTransaction.addBatch();
    }

    private void addEntries(Transaction transaction, long sequence, long userAccountId) throws SQLException {
        for (var entry : transaction.entries()) {
            long accountId = entry.account().equals(Accounts.RESERVE) ? Schema.RESERVE_ACCOUNT_ID : userAccountId;
            insertEntry.setLong(1, sequence);
            insertEntry.setLong(2, accountId);
            insertEntry.setLong(3, entry.debit());
            insertEntry.setLong(4, entry.credit());
            insertEntry.addBatch();
        }
    }

    /** A map capacity that holds {@code entries} without rehashing: batches run to thousands of keys. */
    static int capacityFor(int entries) {
        return (int) (entries / 0.75f) + 1;
    }

    /** A user's account row as the batch leaves it. */
    private static final class AccountState {
        final long accountId;
        long balance;
        long version;

        AccountState(long accountId) {
            this.accountId = accountId;
        }
    }
}
