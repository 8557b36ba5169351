package dev.economyengine.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.economyengine.ledger.Accounts;
import dev.economyengine.ledger.LimitUsage;
import dev.economyengine.ledger.Result;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Looks up a whole batch's idempotency records and accounts in one query each, instead of one query
 * per request: the keys go to SQLite as one JSON array, and {@code json_each} feeds them to primary-key
 * lookups inside SQLite. Per-request queries cost more in the JDBC driver (a result set, its column
 * names, several native calls) than in SQLite itself.
 *
 * <p>Rows come back with their key's index in the array, so a key is matched to its row as given,
 * never as read back. JSON escapes (quotes, control characters, NUL) read back in SQLite as the exact
 * text that was bound when the row was written; the store's tests hold it to that. Not thread-safe.
 */
final class KeyLookups {
    private static final JsonFactory JSON = new JsonFactory();
    static final String SELECT_RESULTS = "SELECT k.key, " + StoredResults.COLUMNS
            + " FROM json_each(?) AS k CROSS JOIN request_results AS r " + StoredResults.JOIN_TRANSACTION
            + " WHERE r.user_id = k.value ->> 0 AND r.request_id = k.value ->> 1";
    static final String SELECT_ACCOUNTS = """
            SELECT k.key, a.currency, a.account_id, a.balance, a.version
            FROM json_each(?) AS k CROSS JOIN accounts AS a
            WHERE a.name = k.value""";

    static final String SELECT_USAGES = """
            SELECT k.key, u.usage
            FROM json_each(?) AS k CROSS JOIN limit_usage AS u
            WHERE u.user_id = k.value ->> 0 AND u.subject = k.value ->> 1""";

    private final int shardId;
    private final PreparedStatement selectUsages;
    private final PreparedStatement selectResults;
    private final PreparedStatement selectAccounts;
    private final PreparedStatement maxSequence;
    private final PreparedStatement maxAccountId;

    KeyLookups(Connection connection, int shardId) throws SQLException {
        this.shardId = shardId;
        selectResults = connection.prepareStatement(SELECT_RESULTS);
        selectAccounts = connection.prepareStatement(SELECT_ACCOUNTS);
        selectUsages = connection.prepareStatement(SELECT_USAGES);
        maxSequence = connection.prepareStatement("SELECT COALESCE(MAX(tx_seq), 0) FROM transactions");
        maxAccountId = connection.prepareStatement("SELECT COALESCE(MAX(account_id), 0) FROM accounts");
    }

    /** The number of the next transaction, one past the last stored. */
    long nextSequence() throws SQLException {
        return queryLong(maxSequence) + 1;
    }

    /** The number of the next new account, one past the last stored. */
    long nextAccountId() throws SQLException {
        return queryLong(maxAccountId) + 1;
    }

    private static long queryLong(PreparedStatement statement) throws SQLException {
        try (ResultSet row = statement.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }

    /** A request's identity, the idempotency key. */
    record RequestKey(String userId, String requestId) {}

    /** The stored results of those of {@code keys} that have one, in a map the caller may add to. */
    Map<RequestKey, Result> results(Collection<RequestKey> keys) throws SQLException {
        if (keys.isEmpty()) {
            return new HashMap<>();
        }
        List<RequestKey> inArray = List.copyOf(keys);
        Map<RequestKey, Result> found = new HashMap<>();
        selectResults.setString(1, pairs(inArray, RequestKey::userId, RequestKey::requestId));
        try (ResultSet row = selectResults.executeQuery()) {
            while (row.next()) {
                RequestKey key = inArray.get(row.getInt(1));
                found.put(key, StoredResults.read(row, 2, key.userId(), key.requestId(), shardId));
            }
        }
        return found;
    }

    /** The stored usages of limits of those of {@code keys} that have one. */
    Map<LimitSubjects.UsageKey, LimitUsage> usages(Collection<LimitSubjects.UsageKey> keys) throws SQLException {
        if (keys.isEmpty()) {
            return new HashMap<>();
        }
        List<LimitSubjects.UsageKey> inArray = List.copyOf(keys);
        Map<LimitSubjects.UsageKey, LimitUsage> found = new HashMap<>();
        selectUsages.setString(1, pairs(inArray, LimitSubjects.UsageKey::userId, LimitSubjects.UsageKey::subject));
        try (ResultSet row = selectUsages.executeQuery()) {
            while (row.next()) {
                found.put(inArray.get(row.getInt(1)), LimitUsageCodec.decode(row.getString(2)));
            }
        }
        return found;
    }

    /** The keys as one JSON array of two-string arrays. */
    private static <K> String pairs(List<K> keys, Function<K, String> first, Function<K, String> second) {
        StringWriter text = new StringWriter(keys.size() * 48);
        try (JsonGenerator json = JSON.createGenerator(text)) {
            json.writeStartArray();
            for (K key : keys) {
                json.writeStartArray();
                json.writeString(first.apply(key));
                json.writeString(second.apply(key));
                json.writeEndArray();
            }
            json.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    /** The stored accounts, in every currency, of those of {@code userIds} that have one, by user id. */
    Map<String, UserAccounts> accounts(Collection<String> userIds) throws SQLException {
        if (userIds.isEmpty()) {
            return new HashMap<>();
        }
        List<String> inArray = List.copyOf(userIds);
        StringWriter text = new StringWriter(inArray.size() * 24);
        try (JsonGenerator json = JSON.createGenerator(text)) {
            json.writeStartArray();
            for (String userId : inArray) {
                json.writeString(Accounts.user(userId));
            }
            json.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        UserAccounts[] byIndex = new UserAccounts[inArray.size()];
        selectAccounts.setString(1, text.toString());
        try (ResultSet row = selectAccounts.executeQuery()) {
            while (row.next()) {
                int index = row.getInt(1);
                UserAccounts before = byIndex[index] == null ? UserAccounts.NONE : byIndex[index];
                byIndex[index] = before.with(row.getString(2), new UserAccounts.Account(row.getLong(3), row.getLong(4)),
                        row.getLong(5));
            }
        }
        Map<String, UserAccounts> found = new HashMap<>(BatchWriter.capacityFor(inArray.size()));
        for (int i = 0; i < byIndex.length; i++) {
            if (byIndex[i] != null) {
                found.put(inArray.get(i), byIndex[i]);
            }
        }
        return found;
    }
}
