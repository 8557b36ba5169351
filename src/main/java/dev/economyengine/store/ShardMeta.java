package dev.economyengine.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Key-value facts about a shard file (schema version, shard id) kept in the file itself. */
final class ShardMeta {
    private final Connection connection;

    ShardMeta(Connection connection) {
        this.connection = connection;
    }

    String get(String key) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT value FROM shard_meta WHERE key = ?")) {
            select.setString(1, key);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        }
    }

    void put(String key, String value) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement(
                "INSERT INTO shard_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")) {
            upsert.setString(1, key);
            upsert.setString(2, value);
            upsert.executeUpdate();
        }
    }
}
