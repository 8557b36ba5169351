package dev.economyengine.store;

import dev.economyengine.ledger.Entry;
import dev.economyengine.ledger.RequestType;
import dev.economyengine.ledger.Transaction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Reads the transactions of a shard file, with their entries, for {@code economy-engine export}.
 *
 * <p>Safety, as for {@link ShardVerifier}: the file is opened read-only (SQLite can neither create nor
 * write it), and everything read through one instance comes from one read transaction, so counts and
 * rows agree even while a worker keeps writing. Not thread-safe.
 */
public final class ShardExport implements AutoCloseable {
    private static final String SELECT = """
            SELECT t.tx_seq, t.user_id, t.request_id, t.type, t.currency, t.amount, t.reason, t.created_at,
                   t.action, t.rules_version, t.recorded_at, a.name, a.currency, e.debit, e.credit
            FROM transactions t
            LEFT JOIN entries e ON e.tx_seq = t.tx_seq
            LEFT JOIN accounts a ON a.account_id = e.account_id
            %s
            ORDER BY t.tx_seq, e.debit DESC""";

    private final Path file;
    private final Connection connection;
    private final int shardId;

    private ShardExport(Path file, Connection connection, int shardId) {
        this.file = file;
        this.connection = connection;
        this.shardId = shardId;
    }

    /** Opens the shard file read-only; throws {@link StoreException} naming the file if it is missing or not a shard. */
    public static ShardExport open(Path file) {
        Objects.requireNonNull(file, "file");
        if (Files.isDirectory(file)) {
            throw new StoreException("not an Economy Engine shard: " + file + ": it is a directory");
        }
        // Checked first: SQLite would otherwise report a missing file as an unhelpful "cannot open".
        if (!Files.exists(file)) {
            throw new StoreException("no shard file at " + file);
        }
        Connection connection = SqliteConnections.openReadOnly(file);
        try {
            // Every query of this export reads the same committed state.
            connection.setAutoCommit(false);
            int shardId = readShardId(connection, file);
            return new ShardExport(file, connection, shardId);
        } catch (SQLException | RuntimeException e) {
            closeQuietly(connection);
            if (e instanceof StoreException storeException) {
                throw storeException;
            }
            // Typically SQLITE_NOTADB ("file is not a database") or SQLITE_CORRUPT.
            throw new StoreException("not an Economy Engine shard: " + file + ": " + e.getMessage(), e);
        }
    }

    public int shardId() {
        return shardId;
    }

    public Path file() {
        return file;
    }

    /** How many transactions the shard holds. */
    public long countTransactions() {
        return count("SELECT COUNT(*) FROM transactions", null);
    }

    /** How many transactions of the user the shard holds. */
    public long countTransactionsOf(String userId) {
        return count("SELECT COUNT(*) FROM transactions WHERE user_id = ?", Objects.requireNonNull(userId, "userId"));
    }

    /** Every transaction of the shard, oldest first, entries debit first as the query API gives them. */
    public void forEachTransaction(Consumer<Transaction> sink) {
        read(SELECT.formatted(""), null, sink);
    }

    /** The user's transactions, oldest first. */
    public void forEachTransactionOf(String userId, Consumer<Transaction> sink) {
        read(SELECT.formatted("WHERE t.user_id = ?"), Objects.requireNonNull(userId, "userId"), sink);
    }

    @Override
    public void close() {
        closeQuietly(connection);
    }

    private long count(String sql, String userId) {
        try (PreparedStatement count = connection.prepareStatement(sql)) {
            if (userId != null) {
                count.setString(1, userId);
            }
            try (ResultSet row = count.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** Streams rows into transactions: one row per entry, ordered by transaction, so one is built at a time. */
    private void read(String sql, String userId, Consumer<Transaction> sink) {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            if (userId != null) {
                select.setString(1, userId);
            }
            try (ResultSet row = select.executeQuery()) {
                PendingTransaction pending = null;
                while (row.next()) {
                    long sequence = row.getLong(1);
                    if (pending == null || pending.sequence != sequence) {
                        if (pending != null) {
                            sink.accept(pending.build());
                        }
                        pending = new PendingTransaction(sequence, row);
                    }
                    String account = row.getString(12);
                    if (account != null) {
                        pending.entries.add(new Entry(account, row.getString(13), row.getLong(14), row.getLong(15)));
                    }
                }
                if (pending != null) {
                    sink.accept(pending.build());
                }
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** The transaction being read: its columns, and its entries as they come. */
    private final class PendingTransaction {
        private final long sequence;
        private final String userId;
        private final String requestId;
        private final String type;
        private final String currency;
        private final long amount;
        private final String reason;
        private final long createdAtMillis;
        private final String action;
        private final String rulesVersion;
        private final long recordedAtMillis;
        private final List<Entry> entries = new ArrayList<>(2);

        PendingTransaction(long sequence, ResultSet row) throws SQLException {
            this.sequence = sequence;
            this.userId = row.getString(2);
            this.requestId = row.getString(3);
            this.type = row.getString(4);
            this.currency = row.getString(5);
            this.amount = row.getLong(6);
            this.reason = row.getString(7);
            this.createdAtMillis = row.getLong(8);
            this.action = row.getString(9);
            this.rulesVersion = row.getString(10);
            this.recordedAtMillis = row.getLong(11);
        }

        Transaction build() {
            String transactionId = TransactionIds.format(shardId, sequence);
            try {
                Transaction.EarnBasis basis = rulesVersion == null ? null
                        : new Transaction.EarnBasis(action, rulesVersion, Instant.ofEpochMilli(recordedAtMillis));
                return new Transaction(transactionId, userId, requestId, RequestType.valueOf(type), currency, amount,
                        reason, Instant.ofEpochMilli(createdAtMillis), entries, basis);
            } catch (IllegalArgumentException e) {
                // The schema rules most of this out; an unbalanced transaction it cannot.
                throw new StoreException(file + ": transaction " + transactionId + " is not a valid transaction ("
                        + e.getMessage() + "); run verify on this shard", e);
            }
        }
    }

    private StoreException failure(SQLException e) {
        return new StoreException("cannot read " + file + ": " + e.getMessage(), e);
    }

    private static int readShardId(Connection connection, Path file) throws SQLException {
        ShardMeta meta = new ShardMeta(connection);
        String version = meta.get("schema_version");
        if (!Schema.readableOffline(version)) {
            throw new StoreException("not an Economy Engine shard: " + file + ": schema version " + version
                    + " (this program reads versions " + Schema.VERSIONS_READABLE_OFFLINE + ")");
        }
        String shardId = meta.get("shard_id");
        try {
            int id = Integer.parseInt(Objects.requireNonNullElse(shardId, ""));
            EarlierVersionViews.installIfNeeded(connection, version);
            return id;
        } catch (NumberFormatException e) {
            throw new StoreException("not an Economy Engine shard: " + file + ": shard_meta has no valid shard_id (found "
                    + shardId + ")");
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            // Ends the read transaction; nothing was written.
            connection.close();
        } catch (SQLException e) {
            // A read-only connection has nothing to lose on a failed close.
        }
    }
}
