package dev.economyengine.store;

import dev.economyengine.ledger.RequestType;
import dev.economyengine.ledger.Result;
import dev.economyengine.ledger.ResultCode;
import dev.economyengine.ledger.Status;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;

/** Maps a {@link Result} to and from its row in {@code request_results}, the idempotency record. */
final class StoredResults {
    static final String SELECT_ONE = """
            SELECT type, status, code, amount, balance, tx_seq, message, metadata, processed_at
            FROM request_results WHERE user_id = ? AND request_id = ?""";
    static final String INSERT = """
            INSERT INTO request_results
              (user_id, request_id, type, status, code, amount, balance, tx_seq, message, metadata, processed_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    private StoredResults() {}

    static void bind(PreparedStatement insert, Result result, Long sequence) throws SQLException {
        insert.setString(1, result.userId());
        insert.setString(2, result.requestId());
        insert.setString(3, result.type().name());
        insert.setString(4, result.status().name());
        insert.setString(5, result.code().name());
        setNullableLong(insert, 6, result.amount());
        insert.setLong(7, result.balance());
        setNullableLong(insert, 8, sequence);
        insert.setString(9, result.message());
        insert.setString(10, result.metadataJson());
        insert.setLong(11, result.processedAt().toEpochMilli());
    }

    static Result find(PreparedStatement select, String userId, String requestId, int shardId) throws SQLException {
        select.setString(1, userId);
        select.setString(2, requestId);
        try (ResultSet row = select.executeQuery()) {
            return row.next() ? read(row, 1, userId, requestId, shardId) : null;
        }
    }

    /** The result in the current row, whose columns from {@code first} on are those of {@link #SELECT_ONE}. */
    static Result read(ResultSet row, int first, String userId, String requestId, int shardId) throws SQLException {
        long amount = row.getLong(first + 3);
        Long nullableAmount = row.wasNull() ? null : amount;
        long sequence = row.getLong(first + 5);
        String transactionId = row.wasNull() ? null : TransactionIds.format(shardId, sequence);
        return new Result(requestId, userId, RequestType.valueOf(row.getString(first)),
                Status.valueOf(row.getString(first + 1)), ResultCode.valueOf(row.getString(first + 2)), nullableAmount,
                row.getLong(first + 4), transactionId, row.getString(first + 6), row.getString(first + 7),
                Instant.ofEpochMilli(row.getLong(first + 8)), false);
    }

    private static void setNullableLong(PreparedStatement statement, int index, Long value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.INTEGER);
        } else {
            statement.setLong(index, value);
        }
    }
}
