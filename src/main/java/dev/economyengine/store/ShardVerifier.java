package dev.economyengine.store;

import dev.economyengine.ledger.Accounts;
import dev.economyengine.ledger.Money;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks a shard file offline against the invariants the writer is meant to keep, and hashes its state.
 *
 * <p>Invariants, each in every currency: debits equal credits; every transaction is exactly one
 * posting between its user's account and the reserve of its currency, in the direction of its type;
 * every account's balance is what its entries add up to, and a user's version (the largest of its
 * accounts') is its number of transactions; no user's balance leaves [0, its currency's cap] at any
 * point of its history; every transaction has the ACCEPTED result that announced it, with the
 * currency and balance it announced, and a REJECTED result moved nothing.
 *
 * <p>Safety: the file is opened read-only (never created, migrated or checkpointed) and read inside
 * one read transaction, so a worker may keep writing while it is verified and the report describes one
 * committed state. SQLite itself may leave an empty {@code -wal} and a {@code -shm} file beside a WAL
 * shard that no worker has open: that is how read-only WAL readers share locks. They hold no data, and
 * a worker running as the same OS user reuses them.
 *
 * <p>State hash: SHA-256 over a canonical dump that leaves out everything two replicas of the same
 * ledger may legitimately differ in (account ids, batch boundaries, shard_meta, the caps recorded).
 * Files of schema versions 1 and 2 are read as version 3 ({@link EarlierVersionViews}).
 */
public final class ShardVerifier {
    /** Beyond this, violations are counted rather than listed: a wrecked shard should not exhaust memory. */
    static final int MAX_LISTED_VIOLATIONS = 1_000;

    private static final Map<String, Set<String>> REQUIRED_COLUMNS = requiredColumns();
    private static final Map<String, Set<String>> REQUIRED_COLUMNS_OF_EARLIER_VERSIONS = requiredColumnsOfEarlierVersions();

    private ShardVerifier() {}

    /** Verifies the shard file; throws {@link StoreException} if it is missing or not a shard. */
    public static VerificationReport verify(Path shardFile) {
        Objects.requireNonNull(shardFile, "shardFile");
        if (Files.isDirectory(shardFile)) {
            throw new StoreException("not an Economy Engine shard: " + shardFile + ": it is a directory");
        }
        // Checked first: SQLite would otherwise report a missing file as an unhelpful "cannot open".
        if (!Files.exists(shardFile)) {
            throw new StoreException("no shard file at " + shardFile);
        }
        try (Connection connection = SqliteConnections.openReadOnly(shardFile)) {
            int shardId = readShardId(connection, shardFile);
            // One read transaction: every query below sees the same committed state, even under a live writer.
            connection.setAutoCommit(false);
            try {
                return verify(connection, shardId);
            } catch (StoreException e) {
                throw new StoreException("cannot verify " + shardFile + ": " + e.getMessage(), e);
            } finally {
                connection.rollback();
            }
        } catch (SQLException e) {
            throw new StoreException("cannot verify " + shardFile + ": " + e.getMessage(), e);
        }
    }

    /** Verifies the shard behind an open connection; the caller chooses the transaction it runs in. */
    static VerificationReport verify(Connection connection, int shardId) {
        try {
            Violations violations = new Violations();
            new Checks(connection, shardId, violations).run();
            try (Statement statement = connection.createStatement()) {
                long transactions = queryLong(statement, "SELECT COUNT(*) FROM transactions");
                long users = queryLong(statement, "SELECT COUNT(DISTINCT name) FROM accounts WHERE " + isUser("name"));
                try (ResultSet byCurrency = statement.executeQuery("""
                        SELECT a.currency, SUM(e.debit), SUM(e.credit) FROM entries e
                        JOIN accounts a ON a.account_id = e.account_id GROUP BY a.currency ORDER BY a.currency""")) {
                    while (byCurrency.next()) {
                        if (byCurrency.getLong(2) != byCurrency.getLong(3)) {
                            violations.add(byCurrency.getString(1) + ": total debits " + byCurrency.getLong(2)
                                    + " != total credits " + byCurrency.getLong(3));
                        }
                    }
                }
                try (ResultSet totals = statement.executeQuery(
                        "SELECT COUNT(*), COALESCE(SUM(debit), 0), COALESCE(SUM(credit), 0) FROM entries")) {
                    totals.next();
                    long debits = totals.getLong(2);
                    long credits = totals.getLong(3);
                    if (debits != credits) {
                        violations.add("total debits " + debits + " != total credits " + credits);
                    }
                    return new VerificationReport(shardId, transactions, totals.getLong(1), users, debits, credits,
                            violations.list(), StateHash.of(connection));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("shard " + shardId + ": verification query failed: " + e.getMessage(), e);
        }
    }

    /** Refuses anything that is not a shard, naming what is wrong, before any check could misread it. */
    private static int readShardId(Connection connection, Path file) {
        try {
            requireColumns(connection, file, Map.of("shard_meta", Set.of("key", "value")));
            ShardMeta meta = new ShardMeta(connection);
            String version = meta.get("schema_version");
            if (version == null) {
                throw notAShard(file, "shard_meta has no schema_version");
            }
            if (!Schema.readableOffline(version)) {
                throw notAShard(file, "schema version " + version + " (this verifier reads versions "
                        + Schema.VERSIONS_READABLE_OFFLINE + ")");
            }
            boolean current = Integer.toString(Schema.VERSION).equals(version);
            requireColumns(connection, file, current ? REQUIRED_COLUMNS : REQUIRED_COLUMNS_OF_EARLIER_VERSIONS);
            String shardId = meta.get("shard_id");
            int id;
            try {
                id = Integer.parseInt(Objects.requireNonNullElse(shardId, ""));
            } catch (NumberFormatException e) {
                throw notAShard(file, "shard_meta has no valid shard_id (found " + shardId + ")");
            }
            EarlierVersionViews.installIfNeeded(connection, version);
            return id;
        } catch (SQLException e) {
            // Typically SQLITE_NOTADB: "file is not a database".
            throw new StoreException("not an Economy Engine shard: " + file + ": " + e.getMessage(), e);
        }
    }

    private static void requireColumns(Connection connection, Path file, Map<String, Set<String>> required)
            throws SQLException {
        for (Map.Entry<String, Set<String>> table : required.entrySet()) {
            Set<String> missing = new TreeSet<>(table.getValue());
            try (PreparedStatement columns = connection.prepareStatement("SELECT name FROM pragma_table_info(?)")) {
                columns.setString(1, table.getKey());
                try (ResultSet rows = columns.executeQuery()) {
                    while (rows.next()) {
                        missing.remove(rows.getString(1));
                    }
                }
            }
            if (missing.equals(table.getValue())) {
                throw notAShard(file, "it has no table " + table.getKey());
            }
            if (!missing.isEmpty()) {
                throw notAShard(file, "table " + table.getKey() + " lacks columns " + missing);
            }
        }
    }

    private static StoreException notAShard(Path file, String reason) {
        return new StoreException("not an Economy Engine shard: " + file + ": " + reason);
    }

    private static Map<String, Set<String>> requiredColumns() {
        Map<String, Set<String>> tables = new LinkedHashMap<>();
        tables.put("currencies", Set.of("code", "cap"));
        tables.put("accounts", Set.of("account_id", "name", "currency", "balance", "version"));
        tables.put("transactions", Set.of("tx_seq", "user_id", "request_id", "type", "currency", "amount", "reason",
                "created_at", "action", "rules_version", "recorded_at"));
        tables.put("entries", Set.of("tx_seq", "account_id", "debit", "credit"));
        tables.put("request_results", Set.of("user_id", "request_id", "type", "status", "code", "amount", "currency",
                "balance", "tx_seq", "message", "metadata", "next_allowed_at", "processed_at"));
        tables.put("limit_usage", Set.of("user_id", "subject", "usage"));
        return tables;
    }

    private static Map<String, Set<String>> requiredColumnsOfEarlierVersions() {
        Map<String, Set<String>> tables = new LinkedHashMap<>();
        tables.put("accounts", Set.of("account_id", "name", "balance", "version"));
        tables.put("transactions", Set.of("tx_seq", "user_id", "request_id", "type", "amount", "reason", "created_at"));
        tables.put("entries", Set.of("tx_seq", "account_id", "debit", "credit"));
        tables.put("request_results", Set.of("user_id", "request_id", "type", "status", "code", "amount", "balance",
                "tx_seq", "message", "metadata", "processed_at"));
        return tables;
    }

    /** SQL that is true when the column holds a user account's name ({@code LIKE} would treat '_' as a wildcard). */
    static String isUser(String column) {
        return "substr(" + column + ", 1, 5) = 'user:'";
    }

    private static long queryLong(Statement statement, String sql) throws SQLException {
        try (ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }

    /** The invariant checks, one query each; each reports the offending rows, not just that some exist. */
    private static final class Checks {
        private final Connection connection;
        private final int shardId;
        private final Violations violations;

        Checks(Connection connection, int shardId, Violations violations) {
            this.connection = connection;
            this.shardId = shardId;
            this.violations = violations;
        }

        void run() throws SQLException {
            transactionsPostExactlyTheirAmount();
            entriesBelongToTransactions();
            accountsMatchTheirEntries();
            usersVersionsCountTheirTransactions();
            currenciesHaveReserves();
            transactionsHaveAccounts();
            historiesStayInRangeAndMatchTheirResults();
            resultsMatchTheirTransactions();
        }

        private void transactionsPostExactlyTheirAmount() throws SQLException {
            String earnAmount = "CASE t.type WHEN 'EARN' THEN t.amount ELSE 0 END";
            String spendAmount = "CASE t.type WHEN 'SPEND' THEN t.amount ELSE 0 END";
            String sql = "SELECT t.tx_seq, t.user_id, t.type, t.amount, t.currency FROM transactions t"
                    + " WHERE (SELECT COUNT(*) FROM entries e WHERE e.tx_seq = t.tx_seq) <> 2"
                    + " OR NOT EXISTS (" + posting("'user:' || t.user_id", spendAmount, earnAmount) + ")"
                    + " OR NOT EXISTS (" + posting("'" + Accounts.RESERVE + "'", earnAmount, spendAmount) + ")"
                    + " ORDER BY t.tx_seq";
            try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
                while (row.next()) {
                    long sequence = row.getLong(1);
                    String user = row.getString(2);
                    String type = row.getString(3);
                    long amount = row.getLong(4);
                    String currency = row.getString(5);
                    String userAccount = account(Accounts.user(user), currency);
                    String reserve = account(Accounts.RESERVE, currency);
                    String expected = "EARN".equals(type)
                            ? userAccount + " credit " + amount + " and " + reserve + " debit " + amount
                            : userAccount + " debit " + amount + " and " + reserve + " credit " + amount;
                    violations.add(tx(sequence) + " (" + type + " " + amount + " " + currency + " for user " + user
                            + "): expected " + expected + ", found "
                            + (violations.full() ? "(not listed)" : entriesOf(sequence)));
                }
            }
        }

        private static String posting(String accountName, String debit, String credit) {
            return "SELECT 1 FROM entries e JOIN accounts a ON a.account_id = e.account_id"
                    + " WHERE e.tx_seq = t.tx_seq AND a.name = " + accountName + " AND a.currency = t.currency"
                    + " AND e.debit = " + debit + " AND e.credit = " + credit;
        }

        private String entriesOf(long sequence) throws SQLException {
            List<String> found = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT e.account_id, a.name, a.currency, e.debit, e.credit FROM entries e"
                            + " LEFT JOIN accounts a ON a.account_id = e.account_id WHERE e.tx_seq = ?"
                            + " ORDER BY a.name, a.currency")) {
                select.setLong(1, sequence);
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        String account = row.getString(2) == null
                                ? "account #" + row.getLong(1) + " (no such account)"
                                : account(row.getString(2), row.getString(3));
                        found.add(account + " debit " + row.getLong(4) + " credit " + row.getLong(5));
                    }
                }
            }
            return found.toString();
        }

        private void entriesBelongToTransactions() throws SQLException {
            String sql = "SELECT e.tx_seq, e.account_id, e.debit, e.credit FROM entries e"
                    + " WHERE NOT EXISTS (SELECT 1 FROM transactions t WHERE t.tx_seq = e.tx_seq) ORDER BY e.tx_seq";
            try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
                while (row.next()) {
                    violations.add("entry of " + tx(row.getLong(1)) + " on account #" + row.getLong(2) + " (debit "
                            + row.getLong(3) + " credit " + row.getLong(4) + ") belongs to no transaction");
                }
            }
        }

        private void accountsMatchTheirEntries() throws SQLException {
            String sql = """
                    SELECT a.account_id, a.name, a.currency, a.balance, COALESCE(p.credits, 0), COALESCE(p.debits, 0),
                           c.cap
                    FROM accounts a
                    LEFT JOIN (SELECT account_id, SUM(credit) AS credits, SUM(debit) AS debits
                               FROM entries GROUP BY account_id) p ON p.account_id = a.account_id
                    LEFT JOIN currencies c ON c.code = a.currency
                    ORDER BY a.name, a.currency""";
            try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
                while (row.next()) {
                    String name = row.getString(2);
                    String account = account(name, row.getString(3));
                    long balance = row.getLong(4);
                    long posted = row.getLong(5) - row.getLong(6);
                    if (balance != posted) {
                        violations.add(account + ": balance " + balance + " but its entries give " + posted
                                + " (credits " + row.getLong(5) + " - debits " + row.getLong(6) + ")");
                    }
                    long cap = row.getLong(7);
                    if (row.wasNull()) {
                        violations.add(account + ": currency " + row.getString(3) + " is not one of the shard's"
                                + " currencies");
                        cap = Money.MAX_CAP;
                    }
                    if (Accounts.isUser(name)) {
                        if (balance < 0) {
                            violations.add(account + ": balance " + balance + " is below 0");
                        } else if (balance > cap) {
                            violations.add(account + ": balance " + balance + " is above its currency's cap of " + cap);
                        }
                    } else if (!Accounts.RESERVE.equals(name)) {
                        violations.add("account #" + row.getLong(1) + " '" + name
                                + "' is neither a user account nor " + Accounts.RESERVE);
                    }
                }
            }
        }

        /**
         * A user's version counts the changes of all its balances: the largest version of its accounts is
         * its number of transactions.
         */
        private void usersVersionsCountTheirTransactions() throws SQLException {
            // The count is a correlated lookup on transactions_by_user: joining a grouped subquery on
            // 'user:' || user_id gets no index and turns quadratic (30 s for 20,000 users).
            String sql = """
                    SELECT a.name, MAX(a.version),
                           (SELECT COUNT(*) FROM transactions t WHERE t.user_id = substr(a.name, 6))
                    FROM accounts a WHERE %s
                    GROUP BY a.name ORDER BY a.name""".formatted(isUser("a.name"));
            try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
                while (row.next()) {
                    if (row.getLong(2) != row.getLong(3)) {
                        violations.add(row.getString(1) + ": version " + row.getLong(2) + " but it has "
                                + row.getLong(3) + " transactions");
                    }
                }
            }
        }

        private void currenciesHaveReserves() throws SQLException {
            String sql = "SELECT currency FROM (SELECT code AS currency FROM currencies"
                    + " UNION SELECT currency FROM accounts UNION SELECT currency FROM transactions) AS c"
                    + " WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.name = '" + Accounts.RESERVE + "'"
                    + " AND a.currency = c.currency) ORDER BY currency";
            try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
                while (row.next()) {
                    violations.add("there is no " + Accounts.RESERVE + " account for " + row.getString(1));
                }
            }
        }

        private void transactionsHaveAccounts() throws SQLException {
            String sql = """
                    SELECT t.user_id, t.currency, COUNT(*) FROM transactions t
                    WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.name = 'user:' || t.user_id
                                      AND a.currency = t.currency)
                    GROUP BY t.user_id, t.currency ORDER BY t.user_id, t.currency""";
            try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
                while (row.next()) {
                    violations.add("user " + row.getString(1) + " has " + row.getLong(3) + " " + row.getString(2)
                            + " transactions but no account " + account(Accounts.user(row.getString(1)),
                                    row.getString(2)));
                }
            }
        }

        /**
         * Replays each user's history in each currency, in order: the balance after every transaction must be
         * within 0 and the currency's cap and be the balance its result announced, and the result must be the
         * ACCEPTED one that points back at it.
         */
        private void historiesStayInRangeAndMatchTheirResults() throws SQLException {
            String sql = """
                    SELECT t.tx_seq, t.user_id, t.request_id, t.type, t.amount,
                           SUM(CASE t.type WHEN 'EARN' THEN t.amount ELSE -t.amount END)
                               OVER (PARTITION BY t.user_id, t.currency ORDER BY t.tx_seq),
                           r.user_id, COALESCE(r.status, 'ACCEPTED'), r.tx_seq, r.balance, t.currency,
                           COALESCE(c.cap, %d)
                    FROM transactions t
                    LEFT JOIN request_results r ON r.user_id = t.user_id AND r.request_id = t.request_id
                    LEFT JOIN currencies c ON c.code = t.currency
                    ORDER BY t.user_id, t.tx_seq""".formatted(Money.MAX_CAP);
            try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
                while (row.next()) {
                    long running = row.getLong(6);
                    long cap = row.getLong(12);
                    if (running < 0 || running > cap) {
                        violations.add(transaction(row) + ": leaves the user's balance at " + running
                                + ", outside 0.." + cap);
                    }
                    if (row.getString(7) == null) {
                        violations.add(transaction(row) + ": has no request result");
                        continue;
                    }
                    long resultSequence = row.getLong(9);
                    boolean pointsHere = !row.wasNull() && resultSequence == row.getLong(1);
                    if (!"ACCEPTED".equals(row.getString(8)) || !pointsHere) {
                        violations.add(transaction(row) + ": its request's result is " + row.getString(8)
                                + (pointsHere ? "" : " and does not point at it") + ", not the ACCEPTED result of it");
                    } else if (row.getLong(10) != running) {
                        violations.add(transaction(row) + ": its result announced balance " + row.getLong(10)
                                + " but the history gives " + running);
                    }
                }
            }
        }

        /** Built only for a violation: most rows are sound, and this runs once per transaction. */
        private String transaction(ResultSet row) throws SQLException {
            return tx(row.getLong(1)) + " (" + row.getString(4) + " " + row.getLong(5) + " " + row.getString(11)
                    + " for user " + row.getString(2) + ", request " + row.getString(3) + ")";
        }

        private void resultsMatchTheirTransactions() throws SQLException {
            // An accepted result stored short takes its type, currency and amount from the transaction it
            // points at, so for it these checks come down to that transaction existing.
            String sql = """
                    SELECT r.user_id, r.request_id, COALESCE(r.type, t.type), COALESCE(r.status, 'ACCEPTED'),
                           COALESCE(r.code, 'OK'), COALESCE(r.amount, t.amount), r.tx_seq,
                           t.tx_seq, t.user_id, t.request_id, t.type, t.amount,
                           COALESCE(r.currency, t.currency), t.currency
                    FROM request_results r LEFT JOIN transactions t ON t.tx_seq = r.tx_seq
                    ORDER BY r.user_id, r.request_id""";
            try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
                while (row.next()) {
                    String what = "result of user " + row.getString(1) + ", request " + row.getString(2) + " ("
                            + row.getString(4) + " " + row.getString(5) + ")";
                    row.getLong(7);
                    boolean hasSequence = !row.wasNull();
                    switch (Objects.requireNonNullElse(row.getString(4), "")) {
                        case "ACCEPTED" -> checkAccepted(row, what, hasSequence);
                        case "REJECTED" -> {
                            if (hasSequence) {
                                violations.add(what + ": a rejected request points at " + tx(row.getLong(7)));
                            }
                            if ("OK".equals(row.getString(5))) {
                                violations.add(what + ": a rejected request has code OK");
                            }
                        }
                        default -> violations.add(what + ": status is neither ACCEPTED nor REJECTED");
                    }
                }
            }
        }

        private void checkAccepted(ResultSet row, String what, boolean hasSequence) throws SQLException {
            if (!"OK".equals(row.getString(5))) {
                violations.add(what + ": an accepted request has code " + row.getString(5));
            }
            if (!hasSequence) {
                violations.add(what + ": an accepted request points at no transaction");
                return;
            }
            String target = tx(row.getLong(7));
            row.getLong(8);
            if (row.wasNull()) {
                violations.add(what + ": points at " + target + ", which does not exist");
                return;
            }
            row.getLong(6);
            boolean amountMatches = !row.wasNull() && row.getLong(6) == row.getLong(12);
            if (!row.getString(1).equals(row.getString(9)) || !row.getString(2).equals(row.getString(10))
                    || !row.getString(3).equals(row.getString(11)) || !amountMatches
                    || !Objects.equals(row.getString(13), row.getString(14))) {
                violations.add(what + ": says " + row.getString(3) + " " + row.getString(6) + " " + row.getString(13)
                        + " but points at " + target + ", " + row.getString(11) + " " + row.getLong(12) + " "
                        + row.getString(14) + " for user " + row.getString(9) + ", request " + row.getString(10));
            }
        }

        /** An account in messages: its name and currency, such as {@code user:alice coins}. */
        private static String account(String name, String currency) {
            return name + " " + currency;
        }

        private String tx(long sequence) {
            return "tx " + TransactionIds.format(shardId, sequence);
        }
    }

    /**
     * The canonical dump behind the state hash. Rows are read in an order fixed by the data alone, and
     * accounts are named rather than numbered. Every field is typed and length-prefixed and every row and
     * section marked, so no two different dumps can produce the same byte stream.
     */
    private static final class StateHash {
        private static final byte SECTION = 1;
        private static final byte ROW = 2;
        private static final byte NULL = 3;
        private static final byte INTEGER = 4;
        private static final byte TEXT = 5;
        private static final String FORMAT = "economy-engine shard state v2";

        private final MessageDigest digest;
        private final ByteBuffer scratch = ByteBuffer.allocate(Long.BYTES);

        private StateHash() {
            try {
                digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java runtime must provide SHA-256", e);
            }
        }

        static String of(Connection connection) throws SQLException {
            StateHash hash = new StateHash();
            hash.text(FORMAT);
            hash.section(connection, 1, "I T T T T I T I T T I", """
                    SELECT tx_seq, user_id, request_id, type, currency, amount, reason, created_at, action,
                           rules_version, recorded_at
                    FROM transactions ORDER BY tx_seq""");
            // Ties on a missing account name are broken by the amounts, never by the account id.
            hash.section(connection, 2, "I T T I I", """
                    SELECT e.tx_seq, a.name, a.currency, e.debit, e.credit
                    FROM entries e LEFT JOIN accounts a ON a.account_id = e.account_id
                    ORDER BY e.tx_seq, a.name, a.currency, e.debit, e.credit""");
            // The results as read, whichever way their rows are stored: files that hold the same ledger
            // have the same hash, whatever schema version wrote them.
            hash.section(connection, 3, "T T T T T I T I I T T I I", "SELECT r.user_id, r.request_id, "
                    + StoredResults.COLUMNS + " FROM request_results AS r " + StoredResults.JOIN_TRANSACTION
                    + " ORDER BY r.user_id, r.request_id");
            hash.section(connection, 4, "T T I I", "SELECT name, currency, balance, version FROM accounts WHERE "
                    + isUser("name") + " ORDER BY name, currency");
            // A reserve that never moved is left out: a shard has one for every currency it was ever
            // configured with, and a replica may have been configured with others.
            hash.section(connection, 5, "T I", "SELECT currency, balance FROM accounts WHERE name = '"
                    + Accounts.RESERVE + "' AND balance <> 0 ORDER BY currency");
            hash.section(connection, 6, "T T T",
                    "SELECT user_id, subject, usage FROM limit_usage ORDER BY user_id, subject");
            return HexFormat.of().formatHex(hash.digest.digest());
        }

        /** {@code types} gives each column's kind, I(nteger) or T(ext), as the schema declares it. */
        private void section(Connection connection, int number, String types, String sql) throws SQLException {
            String[] columns = types.split(" ");
            digest.update(SECTION);
            integer(number);
            try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
                while (row.next()) {
                    digest.update(ROW);
                    for (int i = 0; i < columns.length; i++) {
                        if (columns[i].equals("I")) {
                            long value = row.getLong(i + 1);
                            if (row.wasNull()) {
                                digest.update(NULL);
                            } else {
                                integer(value);
                            }
                        } else {
                            text(row.getString(i + 1));
                        }
                    }
                }
            }
        }

        private void integer(long value) {
            digest.update(INTEGER);
            scratch.clear();
            digest.update(scratch.putLong(value).array());
        }

        private void text(String value) {
            if (value == null) {
                digest.update(NULL);
                return;
            }
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            digest.update(TEXT);
            integer(bytes.length);
            digest.update(bytes);
        }
    }

    /** The violations found so far: the first {@value #MAX_LISTED_VIOLATIONS} listed, the rest counted. */
    private static final class Violations {
        private final List<String> listed = new ArrayList<>();
        private long unlisted;

        void add(String violation) {
            if (full()) {
                unlisted++;
            } else {
                listed.add(violation);
            }
        }

        boolean full() {
            return listed.size() >= MAX_LISTED_VIOLATIONS;
        }

        List<String> list() {
            if (unlisted == 0) {
                return listed;
            }
            List<String> all = new ArrayList<>(listed);
            all.add("... and " + unlisted + " more violations, not listed");
            return all;
        }
    }
}
