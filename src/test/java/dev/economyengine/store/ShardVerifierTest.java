package dev.economyengine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.economyengine.ledger.Request;
import dev.economyengine.ledger.RequestType;
import dev.economyengine.ledger.ResultCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardVerifierTest {
    private static final int SHARD = 3;
    /** A clock that stands still, so that two shards written at different moments hold equal times. */
    private static final StoreOptions FIXED_TIME = new StoreOptions(
            Clock.fixed(Instant.parse("2024-05-01T12:00:00.123Z"), ZoneOffset.UTC), Duration.ofSeconds(60));

    @TempDir
    Path dir;

    /**
     * alice earns 100 and spends 30; bob earns 50 and is refused 80; dave's request is refused before he
     * has an account; carol earns 7; alice's first request comes again. Accepted: 4 transactions, 187 coins.
     */
    private static List<Request> ledger() {
        return List.of(
                earn("r1", "alice", 100),
                earn("r2", "bob", 50),
                spend("r3", "alice", 30),
                spend("r4", "bob", 80),
                new Request.Rejected("r5", "dave", RequestType.EARN, null, ResultCode.UNKNOWN_ACTION,
                        "no earning rule for action 'fly'", null, "{\"level\":3}"),
                earn("r6", "carol", 7),
                earn("r1", "alice", 100));
    }

    // --- a sound shard --------------------------------------------------------------------------------

    @Test
    void healthyShard_isOkWithItsCountsAndTotals() {
        Path file = shard("shard-3.db", List.of(ledger()));

        VerificationReport report = ShardVerifier.verify(file);

        assertThat(report.violations()).isEmpty();
        assertThat(report.ok()).isTrue();
        assertThat(report.shardId()).isEqualTo(SHARD);
        assertThat(report.transactions()).isEqualTo(4);
        assertThat(report.entries()).isEqualTo(8);
        assertThat(report.users()).isEqualTo(3);
        assertThat(report.totalDebits()).isEqualTo(187);
        assertThat(report.totalCredits()).isEqualTo(187);
        assertThat(report.stateHash()).matches("[0-9a-f]{64}");
    }

    @Test
    void emptyShard_isOkWithNothingInIt() {
        Path file = shard("shard-3.db", List.of());

        VerificationReport report = ShardVerifier.verify(file);

        assertThat(report.ok()).isTrue();
        assertThat(List.of(report.transactions(), report.entries(), report.users(), report.totalDebits()))
                .containsOnly(0L);
    }

    @Test
    void shardStillOpenByItsWriter_isVerifiedAsCommitted() {
        Path file = dir.resolve("shard-3.db");
        try (ShardStore store = ShardStore.open(file, SHARD, FIXED_TIME)) {
            store.apply(ledger());

            VerificationReport report = ShardVerifier.verify(file);

            assertThat(report.ok()).isTrue();
            assertThat(report.transactions()).isEqualTo(4);
            store.apply(List.of(earn("r7", "erin", 1)));
            assertThat(ShardVerifier.verify(file).transactions()).isEqualTo(5);
        }
    }

    @Test
    void verify_doesNotChangeTheFile() throws IOException {
        Path file = shard("shard-3.db", List.of(ledger()));
        byte[] before = Files.readAllBytes(file);
        FileTime modifiedBefore = Files.getLastModifiedTime(file);

        ShardVerifier.verify(file);
        ShardVerifier.verify(file);

        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        assertThat(Files.getLastModifiedTime(file)).isEqualTo(modifiedBefore);
        // SQLite may create the write-ahead log for its read-only reader, but never writes to it.
        Path log = file.resolveSibling(file.getFileName() + "-wal");
        if (Files.exists(log)) {
            assertThat(log).isEmptyFile();
        }
    }

    // --- the state hash -------------------------------------------------------------------------------

    @Test
    void sameLedger_inOneBatchOrOneRequestPerBatch_hasTheSameHash() {
        Path oneBatch = shard("one/shard-3.db", List.of(ledger()));
        Path manyBatches = shard("many/shard-3.db", ledger().stream().map(List::of).toList());

        VerificationReport first = ShardVerifier.verify(oneBatch);
        VerificationReport second = ShardVerifier.verify(manyBatches);
        assertThat(first.ok()).isTrue();
        assertThat(second.ok()).isTrue();
        assertThat(second.stateHash()).isEqualTo(first.stateHash());
    }

    @Test
    void differentLedger_hasADifferentHash() {
        List<Request> other = new ArrayList<>(ledger());
        other.set(5, earn("r6", "carol", 8));

        String hash = ShardVerifier.verify(shard("a/shard-3.db", List.of(ledger()))).stateHash();
        String otherHash = ShardVerifier.verify(shard("b/shard-3.db", List.of(other))).stateHash();

        assertThat(otherHash).isNotEqualTo(hash);
    }

    @Test
    void sameLedger_atAnotherTime_hasADifferentHash() {
        StoreOptions later = new StoreOptions(
                Clock.fixed(Instant.parse("2024-05-01T12:00:01.123Z"), ZoneOffset.UTC), Duration.ofSeconds(60));
        Path file = dir.resolve("later/shard-3.db");
        try (ShardStore store = ShardStore.open(file, SHARD, later)) {
            store.apply(ledger());
        }

        String hash = ShardVerifier.verify(shard("now/shard-3.db", List.of(ledger()))).stateHash();

        assertThat(ShardVerifier.verify(file).stateHash()).isNotEqualTo(hash);
    }

    @Test
    void fieldBoundaries_cannotCollide() {
        // Same concatenated text "ab" + "c" vs "a" + "bc" in user id and request id.
        String hash = ShardVerifier.verify(shard("a/shard-3.db", List.of(List.of(earn("c", "ab", 5))))).stateHash();
        String shifted = ShardVerifier.verify(shard("b/shard-3.db", List.of(List.of(earn("bc", "a", 5))))).stateHash();

        assertThat(shifted).isNotEqualTo(hash);
    }

    // --- tampering ------------------------------------------------------------------------------------

    @Test
    void entryCreditRaised_isReportedAsUnbalancedAndAsTheUsersBalance() throws SQLException {
        Path file = shard("shard-3.db", List.of(ledger()));
        tamper(file, "DROP TRIGGER entries_no_update",
                "UPDATE entries SET credit = credit + 1 WHERE tx_seq = 1 AND credit > 0");

        VerificationReport report = ShardVerifier.verify(file);

        assertThat(report.ok()).isFalse();
        assertThat(report.totalCredits()).isEqualTo(report.totalDebits() + 1);
        assertThat(report.violations())
                .anySatisfy(v -> assertThat(v).contains("total debits 187 != total credits 188"))
                .anySatisfy(v -> assertThat(v).startsWith("tx 3-1 (EARN 100 coins for user alice): expected user:alice coins credit 100")
                        .endsWith("found [system:reserve coins debit 100 credit 0, user:alice coins debit 0 credit 101]"))
                .anySatisfy(v -> assertThat(v).contains("user:alice coins: balance 70 but its entries give 71"));
    }

    @Test
    void userBalanceRaised_isReportedNamingTheUser() throws SQLException {
        Path file = shard("shard-3.db", List.of(ledger()));
        tamper(file, "UPDATE accounts SET balance = balance + 5 WHERE name = 'user:alice'");

        VerificationReport report = ShardVerifier.verify(file);

        assertThat(report.violations()).containsExactly("user:alice coins: balance 75 but its entries give 70"
                + " (credits 100 - debits 30)");
    }

    @Test
    void reserveBalanceChanged_isReported() throws SQLException {
        Path file = shard("shard-3.db", List.of(ledger()));
        tamper(file, "UPDATE accounts SET balance = 0 WHERE name = 'system:reserve'");

        assertThat(ShardVerifier.verify(file).violations())
                .containsExactly("system:reserve coins: balance 0 but its entries give -127 (credits 30 - debits 157)");
    }

    @Test
    void versionChanged_isReportedNamingTheUser() throws SQLException {
        Path file = shard("shard-3.db", List.of(ledger()));
        tamper(file, "UPDATE accounts SET version = 1 WHERE name = 'user:alice'");

        assertThat(ShardVerifier.verify(file).violations())
                .containsExactly("user:alice: version 1 but it has 2 transactions");
    }

    @Test
    void transactionAmountChanged_isReportedAgainstItsEntriesAndItsResultsBalance() throws SQLException {
        Path file = shard("shard-3.db", List.of(ledger()));
        tamper(file, "DROP TRIGGER transactions_no_update", "UPDATE transactions SET amount = 20 WHERE tx_seq = 3");

        VerificationReport report = ShardVerifier.verify(file);

        // The accepted result is stored without its own amount (it reads the transaction's), so the
        // result's own record of what happened is the balance it announced.
        assertThat(report.violations()).containsExactlyInAnyOrder(
                "tx 3-3 (SPEND 20 coins for user alice): expected user:alice coins debit 20 and system:reserve coins credit 20,"
                        + " found [system:reserve coins debit 0 credit 30, user:alice coins debit 30 credit 0]",
                "tx 3-3 (SPEND 20 coins for user alice, request r3): its result announced balance 70 but the history"
                        + " gives 80");
    }

    @Test
    void resultStoredWholeDisagreeingWithItsTransaction_isReported() throws SQLException {
        Path file = shard("shard-3.db", List.of(ledger()));
        tamper(file, "DROP TRIGGER request_results_no_update",
                "UPDATE request_results SET type = 'SPEND', status = 'ACCEPTED', code = 'OK', amount = 31,"
                        + " processed_at = 0 WHERE request_id = 'r3'");

        assertThat(ShardVerifier.verify(file).violations())
                .anySatisfy(v -> assertThat(v).contains("result of user alice, request r3").contains("SPEND 31"));
    }

    @Test
    void acceptedResultDeleted_isReportedForItsTransaction() throws SQLException {
        Path file = shard("shard-3.db", List.of(ledger()));
        tamper(file, "DROP TRIGGER request_results_no_delete", "DELETE FROM request_results WHERE request_id = 'r2'");

        assertThat(ShardVerifier.verify(file).violations())
                .containsExactly("tx 3-2 (EARN 50 coins for user bob, request r2): has no request result");
    }

    @Test
    void rejectedResultPointingAtATransaction_isReported() throws SQLException {
        Path file = shard("shard-3.db", List.of(ledger()));
        tamper(file, "DROP TRIGGER request_results_no_update",
                "UPDATE request_results SET tx_seq = 2 WHERE request_id = 'r4'");

        assertThat(ShardVerifier.verify(file).violations()).containsExactly(
                "result of user bob, request r4 (REJECTED INSUFFICIENT_BALANCE): a rejected request points at tx 3-2");
    }

    @Test
    void acceptedResultWithAnotherBalance_isReported() throws SQLException {
        Path file = shard("shard-3.db", List.of(ledger()));
        tamper(file, "DROP TRIGGER request_results_no_update",
                "UPDATE request_results SET balance = 71 WHERE request_id = 'r3'");

        assertThat(ShardVerifier.verify(file).violations()).containsExactly(
                "tx 3-3 (SPEND 30 coins for user alice, request r3): its result announced balance 71 but the history gives 70");
    }

    @Test
    void historyThatOverdraws_isReportedEvenWhenTheFinalBalanceIsFine() throws SQLException {
        Path file = shard("shard-3.db", List.of(List.of(earn("r1", "alice", 100), spend("r2", "alice", 30))));
        // Swap the order: alice spends 30 before she has earned anything.
        tamper(file, "DROP TRIGGER transactions_no_update", "DROP TRIGGER entries_no_update",
                "DROP TRIGGER request_results_no_update",
                "UPDATE transactions SET tx_seq = -tx_seq",
                "UPDATE entries SET tx_seq = -tx_seq",
                "UPDATE request_results SET tx_seq = -tx_seq, balance = CASE request_id WHEN 'r1' THEN 70 ELSE -30 END");

        assertThat(ShardVerifier.verify(file).violations()).containsExactly(
                "tx 3--2 (SPEND 30 coins for user alice, request r2): leaves the user's balance at -30, outside 0..1000000000");
    }

    @Test
    void manyViolations_areCountedBeyondTheListedOnes() throws SQLException {
        int users = ShardVerifier.MAX_LISTED_VIOLATIONS + 5;
        List<Request> earns = new ArrayList<>();
        for (int i = 0; i < users; i++) {
            earns.add(earn("r" + i, "user" + i, 10));
        }
        Path file = shard("shard-3.db", List.of(earns));
        tamper(file, "UPDATE accounts SET balance = balance + 1 WHERE name LIKE 'user:%'");

        List<String> violations = ShardVerifier.verify(file).violations();

        assertThat(violations).hasSize(ShardVerifier.MAX_LISTED_VIOLATIONS + 1);
        assertThat(violations.get(violations.size() - 1)).isEqualTo("... and 5 more violations, not listed");
    }

    @Test
    void amountsTooLargeToAdd_failVerificationNamingTheFile() throws SQLException {
        Path file = shard("shard-3.db", List.of(ledger()));
        tamper(file, "DROP TRIGGER entries_no_update", "UPDATE entries SET debit = 4611686018427387904 WHERE debit > 0");

        assertThatThrownBy(() -> ShardVerifier.verify(file))
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith("cannot verify " + file + ": ")
                .hasMessageContaining("integer overflow");
    }

    // --- files that are not shards --------------------------------------------------------------------

    @Test
    void missingFile_isRefusedAndNotCreated() {
        Path file = dir.resolve("nowhere/shard-0.db");

        assertThatThrownBy(() -> ShardVerifier.verify(file))
                .isInstanceOf(StoreException.class)
                .hasMessage("no shard file at " + file);
        assertThat(file).doesNotExist();
        assertThat(file.getParent()).doesNotExist();
    }

    @Test
    void directory_isRefused() {
        assertThatThrownBy(() -> ShardVerifier.verify(dir))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("it is a directory");
    }

    @Test
    void textFile_isRefusedAndLeftAsItWas() throws IOException {
        Path file = dir.resolve("shard-0.db");
        byte[] text = "not a database, just some notes\n".repeat(200).getBytes(StandardCharsets.UTF_8);
        Files.write(file, text);

        assertThatThrownBy(() -> ShardVerifier.verify(file))
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith("not an Economy Engine shard: " + file + ": ");
        assertThat(Files.readAllBytes(file)).isEqualTo(text);
    }

    @Test
    void emptyFile_isRefusedAndLeftEmpty() throws IOException {
        Path file = Files.createFile(dir.resolve("shard-0.db"));

        assertThatThrownBy(() -> ShardVerifier.verify(file))
                .isInstanceOf(StoreException.class)
                .hasMessage("not an Economy Engine shard: " + file + ": it has no table shard_meta");
        assertThat(file).isEmptyFile();
    }

    @Test
    void anotherSqliteDatabase_isRefusedAndLeftAsItWas() throws SQLException, IOException {
        Path file = dir.resolve("shard-0.db");
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE shard_meta (key TEXT PRIMARY KEY, value TEXT)");
            statement.execute("CREATE TABLE accounts (account_id INTEGER PRIMARY KEY, name TEXT)");
        }
        byte[] before = Files.readAllBytes(file);

        assertThatThrownBy(() -> ShardVerifier.verify(file))
                .isInstanceOf(StoreException.class)
                .hasMessage("not an Economy Engine shard: " + file + ": shard_meta has no schema_version");
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }

    @Test
    void shardOfAnotherSchemaVersion_isRefused() throws SQLException {
        Path file = shard("shard-3.db", List.of(ledger()));
        tamper(file, "UPDATE shard_meta SET value = '4' WHERE key = 'schema_version'");

        assertThatThrownBy(() -> ShardVerifier.verify(file))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("schema version 4 (this verifier reads versions 1 to 3)");
    }

    // --- helpers --------------------------------------------------------------------------------------

    /** Writes the batches to a new shard file, closes it (so the WAL is folded in), and returns the file. */
    private Path shard(String name, List<List<Request>> batches) {
        Path file = dir.resolve(name);
        try (ShardStore store = ShardStore.open(file, SHARD, FIXED_TIME)) {
            batches.forEach(store::apply);
        }
        return file;
    }

    private static void tamper(Path file, String... statements) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private static Request earn(String requestId, String userId, long amount) {
        return new Request.Earn(requestId, userId, amount, "quest", null);
    }

    private static Request spend(String requestId, String userId, long amount) {
        return new Request.Spend(requestId, userId, amount, "sku:sword", "{\"sku\":\"sword\"}");
    }
}
