package dev.economyengine.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.economyengine.ledger.Request;
import dev.economyengine.store.ShardStore;
import dev.economyengine.store.ShardVerifier;
import dev.economyengine.store.StoreOptions;
import dev.economyengine.testing.ConsoleCapture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifyCommandTest {
    @TempDir
    Path dir;

    private final ConsoleCapture console = new ConsoleCapture();

    @Test
    void soundShards_printOkWithTheirHashAndExitZero() {
        Path file = shard(2);

        int exit = verify(file.toString());

        String hash = ShardVerifier.verify(file).stateHash();
        assertThat(exit).isZero();
        assertThat(console.out().lines()).containsExactly("shard 2  " + file + "  OK  transactions=2 entries=4 users=1"
                + " debits=110 credits=110 hash=" + hash);
        assertThat(console.err()).isEmpty();
    }

    @Test
    void directory_verifiesEveryShardFileInShardOrder() throws IOException {
        shard(10);
        shard(2);
        shard(0);
        Files.writeString(dir.resolve("notes.txt"), "not a shard");

        int exit = verify(dir.toString());

        assertThat(exit).isZero();
        assertThat(console.out().lines()).hasSize(3)
                .extracting(line -> line.substring(0, line.indexOf("  ")))
                .containsExactly("shard 0", "shard 2", "shard 10");
        assertThat(console.out().lines()).allSatisfy(line -> assertThat(line).contains("  OK  "));
    }

    @Test
    void tamperedShard_printsFailedWithItsViolationsIndentedAndExitsOne() throws SQLException {
        Path file = shard(1);
        shard(2);
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = connection.createStatement()) {
            statement.execute("UPDATE accounts SET balance = balance + 5 WHERE name = 'user:alice'");
        }

        int exit = verify(dir.toString());

        assertThat(exit).isEqualTo(1);
        assertThat(console.out().lines()).containsExactly(
                "shard 1  " + file + "  FAILED  transactions=2 entries=4 users=1 debits=110 credits=110 hash="
                        + ShardVerifier.verify(file).stateHash(),
                "    user:alice coins: balance 115 but its entries give 110 (credits 110 - debits 0)",
                "shard 2  " + dir.resolve("shard-2.db") + "  OK  transactions=2 entries=4 users=1 debits=110"
                        + " credits=110 hash=" + ShardVerifier.verify(dir.resolve("shard-2.db")).stateHash());
    }

    @Test
    void missingFile_isReportedOnErrAndExitsTwo() {
        Path missing = dir.resolve("shard-9.db");

        int exit = verify(missing.toString());

        assertThat(exit).isEqualTo(2);
        assertThat(console.err()).contains("no shard file at " + missing);
        assertThat(missing).doesNotExist();
    }

    @Test
    void fileThatIsNotAShard_isReportedOnErrAndExitsTwo() throws IOException {
        Path text = Files.writeString(dir.resolve("shard-0.db"), "hello\n".repeat(100));

        int exit = verify(text.toString());

        assertThat(exit).isEqualTo(2);
        assertThat(console.err()).contains("not an Economy Engine shard: " + text);
        assertThat(console.out()).isEmpty();
    }

    @Test
    void missingFileBesideSoundShard_stillVerifiesTheShardButExitsTwo() {
        Path file = shard(0);
        Path missing = dir.resolve("shard-1.db");

        int exit = verify(missing.toString(), file.toString());

        assertThat(exit).isEqualTo(2);
        assertThat(console.out()).startsWith("shard 0  " + file + "  OK");
        assertThat(console.err()).contains(missing.toString());
    }

    @Test
    void directoryWithoutShards_isAnErrorAndExitsTwo() {
        int exit = verify(dir.toString());

        assertThat(exit).isEqualTo(2);
        assertThat(console.err()).contains("no shard-*.db files in " + dir);
    }

    @Test
    void noArguments_verifyTheConfiguredDataDirectorysLedger() throws IOException {
        Path ledger = Files.createDirectories(dir.resolve("data").resolve("ledger"));
        Files.move(shard(3), ledger.resolve("shard-3.db"));

        int exit = VerifyCommand.run(List.of(), () -> dir.resolve("data"), console.outStream(), console.errStream());

        assertThat(exit).as(console.err()).isZero();
        assertThat(console.out()).startsWith("shard 3  " + ledger.resolve("shard-3.db") + "  OK");
    }

    @Test
    void noArguments_andAConfiguredDataDirectoryWithoutShards_nameItAndExitTwo() {
        int exit = VerifyCommand.run(List.of(), () -> dir.resolve("data"), console.outStream(), console.errStream());

        assertThat(exit).isEqualTo(2);
        assertThat(console.err()).startsWith("no shard files in the data directory " + dir.resolve("data")
                + " (data.dir, ECONOMY_DATA_DIR)");
        assertThat(console.out()).isEmpty();
    }

    @Test
    void unknownOption_printsUsageAndExitsTwo() {
        int exit = verify("--fix");

        assertThat(exit).isEqualTo(2);
        assertThat(console.err()).contains("unknown option '--fix'").contains("usage:");
    }

    @Test
    void help_printsUsageAndExitsZero() {
        int exit = verify("--help");

        assertThat(exit).isZero();
        assertThat(console.out()).startsWith("usage:");
    }

    // --- helpers --------------------------------------------------------------------------------------

    /** A shard where alice earned 100 and 10, and tried to spend more than she had. */
    private Path shard(int shardId) {
        Path file = dir.resolve("shard-" + shardId + ".db");
        try (ShardStore store = ShardStore.open(file, shardId, StoreOptions.defaults())) {
            store.apply(List.of(
                    new Request.Earn("r1", "alice", 100, "quest", null),
                    new Request.Earn("r2", "alice", 10, "daily_login", null),
                    new Request.Spend("r3", "alice", 500, "sku:castle", null)));
        }
        return file;
    }

    private int verify(String... args) {
        return VerifyCommand.run(List.of(args), VerifyCommandTest::noDataDirectoryExpected, console.outStream(),
                console.errStream());
    }

    private static Path noDataDirectoryExpected() {
        throw new AssertionError("a command line with a path must not ask for the configured data directory");
    }
}
