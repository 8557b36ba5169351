package dev.economyengine.store;

import dev.economyengine.ledger.Entry;
import dev.economyengine.ledger.RequestType;
import dev.economyengine.ledger.Transaction;
import dev.economyengine.ledger.UserBalance;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Read-only queries of one shard: balances and history pages. Callers serialise use. */
final class HistoryQueries {
    private final int shardId;
    private final PreparedStatement selectBalance;
    private final PreparedStatement selectTransactions;
    private final PreparedStatement selectEntries;

    HistoryQueries(Connection connection, int shardId) throws SQLException {
        this.shardId = shardId;
        selectBalance = connection.prepareStatement("SELECT balance, version FROM accounts WHERE name = ?");
        selectTransactions = connection.prepareStatement("""
                SELECT tx_seq, request_id, type, amount, reason, created_at FROM transactions
                WHERE user_id = ? AND tx_seq < ? ORDER BY tx_seq DESC LIMIT ?""");
        selectEntries = connection.prepareStatement("""
                SELECT e.tx_seq, a.name, e.debit, e.credit FROM entries e JOIN accounts a USING (account_id)
                WHERE e.tx_seq BETWEEN ? AND ? AND e.tx_seq IN (SELECT tx_seq FROM transactions WHERE user_id = ?)
                ORDER BY e.tx_seq, e.debit DESC""");
    }

    UserBalance balance(String userId) throws SQLException {
        selectBalance.setString(1, dev.economyengine.ledger.Accounts.user(userId));
        try (ResultSet row = selectBalance.executeQuery()) {
            return row.next() ? new UserBalance(userId, row.getLong(1), row.getLong(2)) : UserBalance.empty(userId);
        }
    }

    TransactionPage page(String userId, int limit, long beforeSequence) throws SQLException {
        selectTransactions.setString(1, userId);
        selectTransactions.setLong(2, beforeSequence);
        selectTransactions.setInt(3, limit + 1);
        List<Row> rows = new ArrayList<>();
        try (ResultSet row = selectTransactions.executeQuery()) {
            while (row.next()) {
                rows.add(new Row(row.getLong(1), row.getString(2), RequestType.valueOf(row.getString(3)),
                        row.getLong(4), row.getString(5), Instant.ofEpochMilli(row.getLong(6))));
            }
        }
        boolean more = rows.size() > limit;
        List<Row> page = more ? rows.subList(0, limit) : rows;
        Map<Long, List<Entry>> entries = page.isEmpty()
                ? Map.of()
                : entries(userId, page.get(page.size() - 1).sequence, page.get(0).sequence);
        List<Transaction> transactions = new ArrayList<>(page.size());
        for (Row row : page) {
            transactions.add(new Transaction(TransactionIds.format(shardId, row.sequence), userId, row.requestId,
                    row.type, row.amount, row.reason, row.createdAt, entries.getOrDefault(row.sequence, List.of())));
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
                        .add(new Entry(row.getString(2), row.getLong(3), row.getLong(4)));
            }
        }
        return bySequence;
    }

    private record Row(long sequence, String requestId, RequestType type, long amount, String reason,
            Instant createdAt) {}
}
