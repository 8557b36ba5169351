package dev.economyengine.lock;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This program's own lock on a directory, so that two processes never use one data directory (or one
 * embedded broker's log directory) at once: the second is refused before it starts anything, instead of
 * writing beside the first and failing half-way on a lock of Kafka's or SQLite's.
 *
 * <p>The lock is the operating system's lock on {@value #FILE_NAME} in the directory ({@link
 * FileChannel#tryLock()}): it is released when the process ends, however it ends, so a killed worker
 * never leaves a stale lock behind. The file holds the owner's pid and command, which a refused process
 * reads to name the owner. It stays in place on release: deleting it would let a third process lock a
 * new file while a second still holds the old, unlinked one.
 *
 * <p>Within one process the locks held are also kept in a table, checked before the file is opened: on
 * Linux a process's locks on a file are released when it closes ANY descriptor of that file, so a second
 * attempt from the same process must not even open it.
 */
public final class DirectoryLock implements AutoCloseable {
    /** Not Kafka's {@code .lock}, which the embedded broker takes in its own log directory. */
    public static final String FILE_NAME = ".economy-engine.lock";

    /** The directories this process holds (real paths), with the owner recorded for each. */
    private static final Map<Path, String> HELD_HERE = new ConcurrentHashMap<>();

    private final Path directory;
    private final FileChannel channel;
    private final FileLock lock;

    private DirectoryLock(Path directory, FileChannel channel, FileLock lock) {
        this.directory = directory;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Creates the directory if need be and locks it for this process, recording {@code owner} (such as
     * "economy-engine run") as its command. Throws {@link StartRefusedException} naming {@code what} (such
     * as "data directory"), the directory and its owner, followed by {@code remedy}, if another process
     * (or another part of this one) holds it.
     */
    public static DirectoryLock acquire(Path directory, String what, String owner, String remedy) {
        Path file = directory.resolve(FILE_NAME);
        Path real;
        try {
            real = Files.createDirectories(directory).toRealPath();
        } catch (IOException e) {
            throw new StartRefusedException("cannot create " + what + " " + directory + ": " + e);
        }
        String pidAndOwner = ProcessHandle.current().pid() + " " + owner;
        String heldBy = HELD_HERE.putIfAbsent(real, pidAndOwner);
        if (heldBy != null) {
            throw new StartRefusedException(what + " " + directory + " is in use by " + holder(heldBy) + "; " + remedy);
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw new StartRefusedException(what + " " + directory + " is in use by " + holder(read(file)) + "; "
                        + remedy);
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((pidAndOwner + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            return new DirectoryLock(real, channel, lock);
        } catch (IOException | OverlappingFileLockException e) {
            forget(real, channel);
            throw new StartRefusedException("cannot lock " + what + " " + directory + " (" + file + "): " + e);
        } catch (RuntimeException e) {
            forget(real, channel);
            throw e;
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            // Named vaguely: the refusal matters, not its details.
            return "";
        }
    }

    /**
     * "process 1234 (economy-engine run)" from "1234 economy-engine run"; the holder may not have written
     * its file yet.
     */
    private static String holder(String pidAndOwner) {
        String[] parts = pidAndOwner.strip().split(" ", 2);
        if (parts.length == 2 && parts[0].matches("\\d+")) {
            return "process " + parts[0] + " (" + parts[1] + ")";
        }
        return "another process";
    }

    private static void forget(Path real, FileChannel channel) {
        HELD_HERE.remove(real);
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            // Nothing is held through it, and the failure being reported is what matters.
        }
    }

    /** Releases the lock; the file stays. Idempotent. */
    @Override
    public synchronized void close() {
        if (!channel.isOpen()) {
            return;
        }
        try {
            lock.release();
        } catch (IOException e) {
            // Closing the channel below releases it as well.
        }
        forget(directory, channel);
    }
}
