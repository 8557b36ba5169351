package dev.economyengine.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Within one process; DataDirectoryLockTest checks the lock between processes. */
class DirectoryLockTest {
    @TempDir
    Path dir;

    @Test
    void lock_createsTheDirectory_andRecordsItsOwnersPidAndCommand() throws IOException {
        DirectoryLock lock = acquire(dir.resolve("data"), "economy-engine run");
        try {
            assertThat(Files.readString(dir.resolve("data").resolve(DirectoryLock.FILE_NAME)))
                    .isEqualTo(ProcessHandle.current().pid() + " economy-engine run\n");
        } finally {
            lock.close();
        }
    }

    @Test
    void secondLock_isRefusedNamingTheDirectoryTheOwnerAndTheRemedy() {
        DirectoryLock first = acquire(dir, "economy-engine run");
        try {
            assertThatThrownBy(() -> acquire(dir, "economy-engine replay"))
                    .isInstanceOf(StartRefusedException.class)
                    .hasMessage("data directory " + dir + " is in use by process " + ProcessHandle.current().pid()
                            + " (economy-engine run); stop it or set ECONOMY_DATA_DIR to another directory");
        } finally {
            first.close();
        }
    }

    @Test
    void releasedLock_canBeTakenAgain_byItsNextOwner() throws IOException {
        acquire(dir, "economy-engine run").close();

        DirectoryLock next = acquire(dir, "economy-engine replay");
        try {
            assertThat(Files.readString(dir.resolve(DirectoryLock.FILE_NAME))).endsWith(" economy-engine replay\n");
        } finally {
            next.close();
        }
    }

    @Test
    void close_isIdempotent() {
        DirectoryLock lock = acquire(dir, "economy-engine run");
        lock.close();
        lock.close();
    }

    private static DirectoryLock acquire(Path directory, String owner) {
        return DirectoryLock.acquire(directory, "data directory", owner,
                "stop it or set ECONOMY_DATA_DIR to another directory");
    }
}
