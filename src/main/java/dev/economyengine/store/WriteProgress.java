package dev.economyengine.store;

/**
 * How far a shard's writes have come against what is already published: readers wait until every
 * batch published before they came is in the file, so that a read after a result is never older than
 * that result, though SQLite writes after Kafka commits. Batches are numbered from 1 in the order the
 * shard decided them. Thread-safe.
 */
final class WriteProgress {
    private long published;
    private long written;

    /** Batch {@code number} is about to become visible elsewhere (its Kafka commit). */
    synchronized void published(long number) {
        published = Math.max(published, number);
    }

    /** Batch {@code number} is in the file, or never will be (dropped, or left to a restore). */
    synchronized void written(long number) {
        if (number > written) {
            written = number;
            notifyAll();
        }
    }

    synchronized long written() {
        return written;
    }

    /** Waits until every batch published so far is written. */
    synchronized void awaitPublished() throws InterruptedException {
        long target = published;
        while (written < target) {
            wait();
        }
    }
}
