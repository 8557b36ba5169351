package dev.economyengine.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.economyengine.ledger.Economy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A batch's lookups must search each key in an index: a plan that scanned the table once per key
 * would make every batch slower as the shard grows, with every answer still right.
 */
class KeyLookupsTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {KeyLookups.SELECT_RESULTS, KeyLookups.SELECT_ACCOUNTS})
    void lookup_searchesAnIndexPerKey_neverScansTheTable(String sql) throws SQLException {
        try (Connection connection = SqliteConnections.open(dir.resolve("shard-0.db"), false)) {
            Schema.create(connection, 0, Economy.coinsOnly());

            List<String> plan = new ArrayList<>();
            try (PreparedStatement explain = connection.prepareStatement("EXPLAIN QUERY PLAN " + sql)) {
                explain.setString(1, "[]");
                try (ResultSet row = explain.executeQuery()) {
                    while (row.next()) {
                        plan.add(row.getString("detail"));
                    }
                }
            }

            assertThat(plan.get(0)).startsWith("SCAN k VIRTUAL TABLE");
            // Results: the result row, then the transaction that completes one stored short.
            assertThat(plan.subList(1, plan.size())).isNotEmpty().allSatisfy(step -> assertThat(step)
                    .matches("SEARCH (r|a|t) USING (PRIMARY KEY|INTEGER PRIMARY KEY|INDEX|COVERING INDEX) .*=\\?.*"));
        }
    }
}
