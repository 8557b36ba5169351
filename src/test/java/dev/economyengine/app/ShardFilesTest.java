package dev.economyengine.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardFilesTest {
    @TempDir
    Path dir;

    @Test
    void file_standsForItself_evenWhenMissing() {
        Path missing = dir.resolve("shard-4.db");

        assertThat(ShardFiles.of(missing.toString())).containsExactly(missing);
    }

    @Test
    void directory_standsForItsShardFiles_inShardOrder_andNothingElse() throws IOException {
        for (String name : List.of("shard-10.db", "shard-2.db", "shard-0.db", "shard-1.db-wal", "shard-3.db.replay",
                "notes.txt")) {
            Files.writeString(dir.resolve(name), "");
        }

        assertThat(ShardFiles.of(dir.toString())).containsExactly(dir.resolve("shard-0.db"), dir.resolve("shard-2.db"),
                dir.resolve("shard-10.db"));
    }

    @Test
    void dataDirectory_standsForTheShardFilesInItsLedgerDirectory() throws IOException {
        Path ledger = Files.createDirectories(dir.resolve("ledger"));
        Files.createDirectories(dir.resolve("kafka"));
        Files.writeString(ledger.resolve("shard-1.db"), "");
        Files.writeString(ledger.resolve("shard-0.db"), "");

        assertThat(ShardFiles.of(dir.toString())).containsExactly(ledger.resolve("shard-0.db"), ledger.resolve("shard-1.db"));
    }

    @Test
    void directoryWithNoShardsAnywhere_isAUsageError() throws IOException {
        Files.createDirectories(dir.resolve("ledger"));

        assertThatThrownBy(() -> ShardFiles.of(dir.toString())).isInstanceOf(UsageException.class)
                .hasMessage("no shard-*.db files in " + dir + " (nor in its ledger/ directory)");
    }

    @Test
    void pathThatIsNotAPath_isAUsageError() {
        assertThatThrownBy(() -> ShardFiles.of("shard\u0000.db")).isInstanceOf(UsageException.class)
                .hasMessageStartingWith("not a valid path");
    }
}
