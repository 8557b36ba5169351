package dev.economyengine.store;

import dev.economyengine.ledger.Accounts;
import dev.economyengine.ledger.Entry;
import dev.economyengine.ledger.LimitUsage;
import dev.economyengine.ledger.RequestType;
import dev.economyengine.ledger.Transaction;
import dev.economyengine.ledger.UserBalances;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Read-only queries of one shard: balances and history pages. Callers serialise use. */
final class HistoryQueries {
    private static final String TRANSACTION_COLUMNS =
            "tx_seq, request_id, type, currency, amount, reason, created_at, action, rules_version, recorded_at";

    private final int shardId;
    private final PreparedStatement selectBalances;
    private final PreparedStatement selectTransactions;
    private final PreparedStatement selectTransactionsIn;
    private final PreparedStatement selectEntries;
    private final PreparedStatement selectUsages;

    HistoryQueries(Connection connection, int shardId) throws SQLException {
        this.shardId = shardId;
        selectBalances = connection.prepareStatement("SELECT currency, balance, version FROM accounts WHERE name = ?");
        selectTransactions = connection.prepareStatement("SELECT " + TRANSACTION_COLUMNS + """
                 FROM transactions
                WHERE user_id = ? AND tx_seq < ? ORDER BY tx_seq DESC LIMIT ?""");
        selectTransactionsIn = connection.prepareStatement("SELECT " + TRANSACTION_COLUMNS + """
                 FROM transactions
                WHERE user_id = ? AND tx_seq < ? AND currency = ? ORDER BY tx_seq DESC LIMIT ?""");
        selectEntries = connection.prepareStatement("""
                SELECT e.tx_seq, a.name, a.currency, e.debit, e.credit FROM entries e JOIN accounts a USING (account_id)
                WHERE e.tx_seq BETWEEN ? AND ? AND e.tx_seq IN (SELECT tx_seq FROM transactions WHERE user_id = ?)
                ORDER BY e.tx_seq, e.debit DESC""");
        selectUsages = connection.prepareStatement("SELECT subject, usage FROM limit_usage WHERE user_id = ?");
    }

    Map<String, LimitUsage> usages(String userId) throws SQLException {
        selectUsages.setString(1, userId);
        Map<String, LimitUsage> bySubject = new HashMap<>();
        try (ResultSet row = selectUsages.executeQuery()) {
            while (row.next()) {
                bySubject.put(row.getString(1), LimitUsageCodec.decode(row.getString(2)));
            }
        }
        return bySubject;
    }

    UserBalances balances(String userId) throws SQLException {
        selectBalances.setString(1, Accounts.user(userId));
        Map<String, Long> balances = new HashMap<>();
        long version = 0;
        try (ResultSet row = selectBalances.executeQuery()) {
            while (row.next()) {
                balances.put(row.getString(1), row.getLong(2));
                version = Math.max(version, row.getLong(3));
            }
        }
        return new UserBalances(userId, balances, version);
    }

    /** A page of the user's history, newest first, of one currency or (null) all. */
    TransactionPage page(String userId, int limit, long beforeSequence, String currency) throws SQLException {
        PreparedStatement select = currency == null ? selectTransactions : selectTransactionsIn;
        select.setString(1, userId);
        select.setLong(2, beforeSequence);
        if (currency == null) {
            select.setInt(3, limit + 1);
        } else {
            select.setString(3, currency);
            select.setInt(4, limit + 1);
        }
        List<Row> rows = new ArrayList<>();
        try (ResultSet row = select.executeQuery()) {
            while (row.next()) {
                rows.add(Row.read(row));
            }
        }
        boolean more = rows.size() > limit;
        List<Row> page = more ? rows.subList(0, limit) : rows;
        Map<Long, List<Entry>> entries = page.isEmpty()
                ? Map.of()
                : entries(userId, page.get(page.size() - 1).sequence, page.get(0).sequence);
        List<Transaction> transactions = new ArrayList<>(page.size());
        for (Row row : page) {
            transactions.add(row.toTransaction(TransactionIds.format(shardId, row.sequence), userId,
                    entries.getOrDefault(row.sequence, List.of())));
        }
        String next = more ? HistoryCursor.encode(userId, page.get(page.size() - 1).sequence) : null;
        return new TransactionPage(userId, transactions, next);
    }

    private Map<Long, List<Entry>> entries(String userId, long fromSequence, long toSequence) throws SQLException {
        selectEntries.setLong(1, fromSequence);
        selectEntries.setLong(2, toSequence);
        selectEntries.setString(3, userId);
        Map<Long, List<Entry>> bySequence = new LinkedHashMap<>();
        try (ResultSet row = selectEntries.executeQuery()) {
            while (row.next()) {
                bySequence.computeIfAbsent(row.getLong(1), s -> new ArrayList<>())
                        .add(new Entry(row.getString(2), row.getString(3), row.getLong(4), row.getLong(5)));
            }
        }
        return bySequence;
    }

    /** A row of {@code transactions}, selected as {@link #TRANSACTION_COLUMNS}. */
    record Row(long sequence, String requestId, RequestType type, String currency, long amount, String reason,
            Instant createdAt, Transaction.EarnBasis basis) {

        static Row read(ResultSet row) throws SQLException {
            String rulesVersion = row.getString(9);
            long recordedAt = row.getLong(10);
            Transaction.EarnBasis basis = rulesVersion == null
                    ? null
                    : new Transaction.EarnBasis(row.getString(8), rulesVersion, Instant.ofEpochMilli(recordedAt));
            return new Row(row.getLong(1), row.getString(2), RequestType.valueOf(row.getString(3)), row.getString(4),
                    row.getLong(5), row.getString(6), Instant.ofEpochMilli(row.getLong(7)), basis);
        }

        Transaction toTransaction(String transactionId, String userId, List<Entry> entries) {
            return new Transaction(transactionId, userId, requestId, type, currency, amount, reason, createdAt, entries,
                    basis);
        }
    }
}
