package dev.economyengine.store;

import dev.economyengine.ledger.Accounts;
import dev.economyengine.ledger.BalanceChange;
import dev.economyengine.ledger.Decision;
import dev.economyengine.ledger.Outcome;
import dev.economyengine.ledger.Request;
import dev.economyengine.ledger.Result;
import dev.economyengine.ledger.Transaction;
import dev.economyengine.ledger.UserBalance;
import dev.economyengine.store.KeyLookups.RequestKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies a batch of requests inside the caller's open SQLite transaction.
 *
 * <p>The batch's idempotency records and accounts are read first, in one query each
 * ({@link KeyLookups}). Requests are then decided in order against balances held in memory for the
 * batch, and written with one batched statement per table; each touched user's row and the reserve row are written once per
 * batch, however many of the batch's requests touched them. Not thread-safe: the owning
 * {@link ShardStore} serialises batches.
 */
final class BatchApplier {
    private final int shardId;
    private final PreparedStatement maxTransaction;
    private final PreparedStatement maxAccount;
    private final KeyLookups lookups;
    private final PreparedStatement upsertAccount;
    private final PreparedStatement insertTransaction;
    private final PreparedStatement insertEntry;
    private final PreparedStatement insertResult;
    private final PreparedStatement moveReserve;
    /** The next free account id during one apply or restore. */
    private long nextAccountId;

    BatchApplier(Connection connection, int shardId) throws SQLException {
        this.shardId = shardId;
        maxTransaction = connection.prepareStatement("SELECT COALESCE(MAX(tx_seq), 0) FROM transactions");
        maxAccount = connection.prepareStatement("SELECT COALESCE(MAX(account_id), 0) FROM accounts");
        lookups = new KeyLookups(connection, shardId);
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

    /** Decides and writes the batch; the caller commits. Returns one outcome per request, in order. */
    AppliedBatch apply(List<Request> requests, Instant now) throws SQLException {
        long nextSequence = queryLong(maxTransaction) + 1;
        nextAccountId = queryLong(maxAccount) + 1;
        Set<RequestKey> keys = new LinkedHashSet<>(capacityFor(requests.size()));
        Set<String> users = new LinkedHashSet<>(capacityFor(requests.size()));
        for (Request request : requests) {
            if (request.userId() != null) {
                keys.add(new RequestKey(request.userId(), request.requestId()));
                users.add(request.userId());
            }
        }
        // Stored results first; each request decided below joins them, so a repeat later in the batch is
        // a duplicate too.
        Map<RequestKey, Result> seen = lookups.results(keys);
        Map<String, KeyLookups.StoredAccount> stored = lookups.accounts(users);
        Map<String, AccountState> accounts = new LinkedHashMap<>(capacityFor(users.size()));
        List<Outcome> outcomes = new ArrayList<>(requests.size());
        long reserveDelta = 0;

        for (Request request : requests) {
            RequestKey key = request.userId() == null ? null : new RequestKey(request.userId(), request.requestId());
            Result seenBefore = key == null ? null : seen.get(key);
            if (seenBefore != null) {
                outcomes.add(Outcome.duplicate(seenBefore));
                continue;
            }
            AccountState account = request.userId() == null ? null : account(request.userId(), stored, accounts);
            long balance = account == null ? 0 : account.balance;
            Decision decision = Decision.decide(request, balance);
            Outcome outcome;
            if (decision instanceof Decision.Accept accept) {
                Transaction transaction = record(request, accept.amount(), nextSequence++, now);
                account.balance = accept.newBalance();
                account.version++;
                account.changed = true;
                reserveDelta -= transaction.delta();
                addEntries(transaction, account.accountId);
                Result result = Result.accepted(request, accept.amount(), accept.newBalance(),
                        transaction.transactionId(), now);
                outcome = Outcome.accepted(result, transaction, new BalanceChange(request.userId(),
                        accept.newBalance(), transaction.delta(), transaction.transactionId(),
                        request.requestId(), account.version, now));
            } else {
                Decision.Reject reject = (Decision.Reject) decision;
                outcome = Outcome.rejected(
                        Result.rejected(request, reject.code(), reject.message(), reject.amount(), balance, now));
            }
            if (key != null) {
                seen.put(key, outcome.result());
                StoredResults.bind(insertResult, outcome.result(), sequenceOf(outcome));
                insertResult.addBatch();
            }
            outcomes.add(outcome);
        }
        return write(outcomes, accounts, reserveDelta);
    }

    private AppliedBatch write(List<Outcome> outcomes, Map<String, AccountState> accounts, long reserveDelta)
            throws SQLException {
        List<UserBalance> changed = new ArrayList<>(accounts.size());
        for (Map.Entry<String, AccountState> entry : accounts.entrySet()) {
            AccountState account = entry.getValue();
            if (!account.changed) {
                continue;
            }
            upsertAccount.setLong(1, account.accountId);
            upsertAccount.setString(2, Accounts.user(entry.getKey()));
            upsertAccount.setLong(3, account.balance);
            upsertAccount.setLong(4, account.version);
            upsertAccount.addBatch();
            changed.add(new UserBalance(entry.getKey(), account.balance, account.version));
        }
        // Foreign keys: accounts before entries, transactions before entries and results.
        upsertAccount.executeBatch();
        insertTransaction.executeBatch();
        insertEntry.executeBatch();
        insertResult.executeBatch();
        if (reserveDelta != 0) {
            moveReserve.setLong(1, reserveDelta);
            moveReserve.executeUpdate();
        }
        return new AppliedBatch(outcomes, changed);
    }

    /** Drops statements batched by a failed {@link #apply}, so that a retry starts clean. */
    void clear() throws SQLException {
        for (PreparedStatement statement :
                List.of(upsertAccount, insertTransaction, insertEntry, insertResult)) {
            statement.clearBatch();
        }
    }

    /**
     * Writes outcomes decided elsewhere (read back from the changelog) exactly as they were decided:
     * same transaction numbers, balances and versions. The caller commits.
     */
    List<UserBalance> restore(List<Outcome> outcomes) throws SQLException {
        nextAccountId = queryLong(maxAccount) + 1;
        Set<String> users = new LinkedHashSet<>(capacityFor(outcomes.size()));
        outcomes.forEach(outcome -> outcome.transaction().ifPresent(transaction -> users.add(transaction.userId())));
        Map<String, KeyLookups.StoredAccount> stored = lookups.accounts(users);
        Map<String, AccountState> accounts = new LinkedHashMap<>(capacityFor(users.size()));
        long reserveDelta = 0;
        for (Outcome outcome : outcomes) {
            Long sequence = null;
            if (outcome.transaction().isPresent()) {
                Transaction transaction = outcome.transaction().get();
                BalanceChange change = outcome.balanceChange().orElseThrow(
                        () -> new IllegalArgumentException("a transaction without its balance change"));
                AccountState account = account(transaction.userId(), stored, accounts);
                sequence = TransactionIds.sequence(transaction.transactionId());
                insertTransaction(transaction, sequence);
                addEntries(transaction, account.accountId);
                account.balance = change.balance();
                account.version = change.version();
                account.changed = true;
                reserveDelta -= transaction.delta();
            }
            StoredResults.bind(insertResult, outcome.result(), sequence);
            insertResult.addBatch();
        }
        return write(outcomes, accounts, reserveDelta).changedBalances();
    }

    /** The user's account as the batch has left it so far: as stored, or a new one. */
    private AccountState account(String userId, Map<String, KeyLookups.StoredAccount> stored,
            Map<String, AccountState> accounts) {
        AccountState account = accounts.get(userId);
        if (account == null) {
            KeyLookups.StoredAccount row = stored.get(userId);
            account = row == null
                    ? new AccountState(nextAccountId++, 0, 0)
                    : new AccountState(row.accountId(), row.balance(), row.version());
            accounts.put(userId, account);
        }
        return account;
    }

    private Transaction record(Request request, long amount, long sequence, Instant now) throws SQLException {
        String reason = request instanceof Request.Earn earn ? earn.reason() : ((Request.Spend) request).reason();
        Transaction transaction = new Transaction(TransactionIds.format(shardId, sequence), request.userId(),
                request.requestId(), request.type(), amount, reason, now,
                Transaction.entriesFor(request.type(), request.userId(), amount));
        insertTransaction(transaction, sequence);
        return transaction;
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

    private void addEntries(Transaction transaction, long userAccountId) throws SQLException {
        long sequence = TransactionIds.sequence(transaction.transactionId());
        for (var entry : transaction.entries()) {
            long accountId = entry.account().equals(Accounts.RESERVE) ? Schema.RESERVE_ACCOUNT_ID : userAccountId;
            insertEntry.setLong(1, sequence);
            insertEntry.setLong(2, accountId);
            insertEntry.setLong(3, entry.debit());
            insertEntry.setLong(4, entry.credit());
            insertEntry.addBatch();
        }
    }

    private static Long sequenceOf(Outcome outcome) {
        return outcome.transaction().map(t -> TransactionIds.sequence(t.transactionId())).orElse(null);
    }

    /** A map capacity that holds {@code entries} without rehashing: batches run to thousands of keys. */
    private static int capacityFor(int entries) {
        return (int) (entries / 0.75f) + 1;
    }

    private static long queryLong(PreparedStatement statement) throws SQLException {
        try (ResultSet row = statement.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }

    /** A user's account row as the batch goes on changing it. */
    private static final class AccountState {
        final long accountId;
        long balance;
        long version;
        boolean changed;

        AccountState(long accountId, long balance, long version) {
            this.accountId = accountId;
            this.balance = balance;
            this.version = version;
        }
    }

    record AppliedBatch(List<Outcome> outcomes, List<UserBalance> changedBalances) {}
}
