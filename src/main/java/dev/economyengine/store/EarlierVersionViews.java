package dev.economyengine.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Lets the offline tools read a shard file of schema version 1 or 2 as if it were version 3, without
 * writing to it: temporary views, which live in the connection's own temporary database and hide the
 * file's tables of the same name, add what version 3 has. Everything the file holds is in
 * {@link Schema#OFFLINE_CURRENCY_OF_EARLIER_VERSIONS}, capped as those versions capped it; stored
 * results name their currency as the upgrade would ({@link Schema#LEGACY_RESULT_CURRENCY}); and no
 * earn has a basis or limit usage. A worker that opens the file upgrades it the same way, with its
 * economy's default currency: under {@code coins}, the upgraded file has the same state hash.
 */
final class EarlierVersionViews {
    private EarlierVersionViews() {}

    /** Installs the views when {@code schemaVersion} is 1 or 2; does nothing for the current version. */
    static void installIfNeeded(Connection connection, String schemaVersion) throws SQLException {
        if (Integer.toString(Schema.VERSION).equals(schemaVersion)) {
            return;
        }
        String currency = "'" + Schema.OFFLINE_CURRENCY_OF_EARLIER_VERSIONS + "'";
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TEMP VIEW currencies (code, cap) AS SELECT " + currency + ", 1000000000");
            statement.execute("CREATE TEMP VIEW accounts (account_id, name, currency, balance, version) AS"
                    + " SELECT account_id, name, " + currency + ", balance, version FROM main.accounts");
            statement.execute("CREATE TEMP VIEW transactions (tx_seq, user_id, request_id, type, currency, amount,"
                    + " reason, created_at, action, rules_version, recorded_at) AS SELECT tx_seq, user_id, request_id,"
                    + " type, " + currency + ", amount, reason, created_at, NULL, NULL, NULL FROM main.transactions");
            statement.execute("CREATE TEMP VIEW limit_usage (user_id, subject, usage) AS"
                    + " SELECT NULL, NULL, NULL WHERE 0");
        }
        // The one view with a parameter: the currency the upgrade would give each result.
        try (PreparedStatement results = connection.prepareStatement("CREATE TEMP VIEW request_results (user_id,"
                + " request_id, type, status, code, amount, currency, balance, tx_seq, message, metadata,"
                + " next_allowed_at, processed_at) AS SELECT user_id, request_id, type, status, code, amount, "
                + Schema.LEGACY_RESULT_CURRENCY.replace("?", currency) + ", balance, tx_seq, message, metadata, NULL,"
                + " processed_at FROM main.request_results")) {
            results.execute();
        }
    }
}
