package dev.economyengine.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NaiveSqliteCeilingTest {
    private static final int TRANSFERS = 2_500;

    @TempDir
    Path directory;

    /**
     * The two ways of getting the statements do the same work: a rate measured with fewer writes would
     * be a ceiling of nothing. Each transfer leaves its row, and every balance is the same either way,
     * the reserve's the opposite of all the users' together.
     */
    @Test
    void statementsPreparedPerUseOrReused_writeTheSameTransfersAndBalances() throws SQLException {
        Path perUse = directory.resolve("per-use.db");
        Path reused = directory.resolve("reused.db");

        NaiveSqliteCeiling.Figures perUseFigures = NaiveSqliteCeiling.run(perUse, new RequestMix(7, 1_000, "n"),
                TRANSFERS, NaiveSqliteCeiling.Statements.PREPARED_PER_USE);
        NaiveSqliteCeiling.run(reused, new RequestMix(7, 1_000, "n"), TRANSFERS, NaiveSqliteCeiling.Statements.REUSED);

        assertThat(perUseFigures.transfers()).isEqualTo(TRANSFERS);
        assertThat(perUseFigures.transfersPerSecond()).isPositive();
        assertThat(count(perUse, "SELECT count(*) FROM transfers")).isEqualTo(TRANSFERS);
        assertThat(count(reused, "SELECT count(*) FROM transfers")).isEqualTo(TRANSFERS);
        Map<String, Long> balances = balances(perUse);
        assertThat(balances).hasSizeGreaterThan(100).isEqualTo(balances(reused));
        assertThat(balances.values().stream().mapToLong(Long::longValue).sum()).as("double-entry").isZero();
    }

    private static long count(Path file, String query) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(query)) {
            return row.getLong(1);
        }
    }

    private static Map<String, Long> balances(Path file) throws SQLException {
        Map<String, Long> balances = new TreeMap<>();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT account, balance FROM balances")) {
            while (rows.next()) {
                balances.put(rows.getString(1), rows.getLong(2));
            }
        }
        return balances;
    }
}
