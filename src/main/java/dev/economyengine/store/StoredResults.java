package dev.economyengine.store;

import dev.economyengine.ledger.RequestType;
import dev.economyengine.ledger.Result;
import dev.economyengine.ledger.ResultCode;
import dev.economyengine.ledger.Status;
import dev.economyengine.ledger.Transaction;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Objects;

/**
 * Maps a {@link Result} to and from its row in {@code request_results}, the idempotency record. An
 * accepted result whose type, amount and time are its transaction's is stored without them (see
 * {@link Schema}); any other result is stored whole. Readers select {@link #COLUMNS} from
 * {@code request_results AS r} and {@link #JOIN_TRANSACTION}, and get the whole result either way.
 */
final class StoredResults {
    /** The result's columns, whichever way its row is stored, in the order {@link #read} expects them. */
    static final String COLUMNS = """
            COALESCE(r.type, t.type), COALESCE(r.status, 'ACCEPTED'), COALESCE(r.code, 'OK'),
            COALESCE(r.amount, t.amount), COALESCE(r.currency, t.currency), r.balance, r.tx_seq, r.message,
            r.metadata, r.next_allowed_at, COALESCE(r.processed_at, t.created_at)""";
    /** Finds the transaction that completes a row stored without its own type, amount and time. */
    static final String JOIN_TRANSACTION = "LEFT JOIN transactions AS t ON r.status IS NULL AND t.tx_seq = r.tx_seq";
    static final String SELECT_ONE = "SELECT " + COLUMNS + " FROM request_results AS r " + JOIN_TRANSACTION
            + " WHERE r.user_id = ? AND r.request_id = ?";
    static final String INSERT = """
            INSERT INTO request_results
              (user_id, request_id, type, status, code, amount, currency, balance, tx_seq, message, metadata,
               next_allowed_at, processed_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";
    /**
     * A short row: only what the transaction does not hold. Its own statement, so that none of the
     * columns it leaves empty is bound, one native call each, for most of a batch's rows.
     */
    static final String INSERT_SHORT = """
            INSERT INTO request_results (user_id, request_id, balance, tx_seq, metadata)
            VALUES (?, ?, ?, ?, ?)""";

    private StoredResults() {}

    /**
     * Whether {@code result} is stored as a short row ({@link #INSERT_SHORT}, bound by {@link #bindShort})
     * rather than whole ({@link #INSERT}, {@link #bindWhole}); {@code transaction} is its transaction if
     * accepted, else null.
     */
    static boolean storedShort(Result result, Transaction transaction) {
        return completedBy(result, transaction);
    }

    /** Binds the short row of {@code result}, whose transaction is stored as number {@code sequence}. */
    static void bindShort(PreparedStatement insert, Result result, long sequence) throws SQLException {
        insert.setString(1, result.userId());
        insert.setString(2, result.requestId());
        insert.setLong(3, result.balance());
        insert.setLong(4, sequence);
        insert.setString(5, result.metadataJson());
    }

    /** Binds the whole row of {@code result}; {@code sequence} is its transaction's number if accepted, else null. */
    static void bindWhole(PreparedStatement insert, Result result, Long sequence) throws SQLException {
        insert.setString(1, result.userId());
        insert.setString(2, result.requestId());
        insert.setLong(8, result.balance());
        setNullableLong(insert, 9, sequence);
        insert.setString(11, result.metadataJson());
        insert.setString(3, result.type().name());
        insert.setString(4, result.status().name());
        insert.setString(5, result.code().name());
        setNullableLong(insert, 6, result.amount());
        insert.setString(7, result.currency());
        insert.setString(10, result.message());
        setNullableLong(insert, 12, result.nextAllowedAt() == null ? null : result.nextAllowedAt().toEpochMilli());
        insert.setLong(13, result.processedAt().toEpochMilli());
    }

    /**
     * Whether the transaction supplies everything the short row leaves out, exactly: true for every
     * result this program decides, but a result read back from the changelog is checked rather than
     * trusted.
     */
    private static boolean completedBy(Result result, Transaction transaction) {
        return transaction != null
                && result.isAccepted()
                && result.message() == null
                && result.nextAllowedAt() == null
                && result.type() == transaction.type()
                && transaction.currency().equals(result.currency())
                && Long.valueOf(transaction.amount()).equals(result.amount())
                && result.processedAt().toEpochMilli() == transaction.createdAt().toEpochMilli()
                && transaction.userId().equals(result.userId())
                && Objects.equals(transaction.requestId(), result.requestId())
                && transaction.transactionId().equals(result.transactionId());
    }

    static Result find(PreparedStatement select, String userId, String requestId, int shardId) throws SQLException {
        select.setString(1, userId);
        select.setString(2, requestId);
        try (ResultSet row = select.executeQuery()) {
            return row.next() ? read(row, 1, userId, requestId, shardId) : null;
        }
    }

    /** The result in the current row, whose columns from {@code first} on are {@link #COLUMNS}. */
    static Result read(ResultSet row, int first, String userId, String requestId, int shardId) throws SQLException {
        String type = row.getString(first);
        if (type == null) {
            throw new StoreException("the stored result of user " + userId + ", request " + requestId
                    + " points at transaction " + TransactionIds.format(shardId, row.getLong(first + 6))
                    + ", which is missing: run verify");
        }
        long amount = row.getLong(first + 3);
        Long nullableAmount = row.wasNull() ? null : amount;
        long sequence = row.getLong(first + 6);
        String transactionId = row.wasNull() ? null : TransactionIds.format(shardId, sequence);
        long nextAllowedAt = row.getLong(first + 9);
        Instant nullableNextAllowedAt = row.wasNull() ? null : Instant.ofEpochMilli(nextAllowedAt);
        return new Result(requestId, userId, RequestType.valueOf(type),
                Status.valueOf(row.getString(first + 1)), ResultCode.valueOf(row.getString(first + 2)), nullableAmount,
                row.getString(first + 4), row.getLong(first + 5), transactionId, row.getString(first + 7),
                row.getString(first + 8), nullableNextAllowedAt, Instant.ofEpochMilli(row.getLong(first + 10)), false);
    }

    private static void setNullableLong(PreparedStatement statement, int index, Long value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.INTEGER);
        } else {
            statement.setLong(index, value);
        }
    }
}
