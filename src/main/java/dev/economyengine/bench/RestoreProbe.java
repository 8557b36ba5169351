package dev.economyengine.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Restore speed: the worker is stopped, its shard files are deleted, and it is started again; it
 * rebuilds every shard from the changelog before it takes its partitions. Timed from the start of the
 * restore to the moment the worker is ready.
 */
final class RestoreProbe {
    private static final byte[] TRANSACTION_FIELD = "\"transaction\":{".getBytes(StandardCharsets.UTF_8);
    private static final Duration POLL = Duration.ofMillis(200);

    private RestoreProbe() {}

    /**
     * @param changelogRecords records replayed, one per first-seen request
     * @param ledgerEntries ledger entries they carry: two per accepted request
     */
    record Figures(long changelogRecords, long ledgerEntries, double seconds, ProcessCpu.Used cpu) {
        double recordsPerSecond() {
            return changelogRecords / seconds;
        }

        double entriesPerSecond() {
            return ledgerEntries / seconds;
        }
    }

    static Figures run(BenchWorld world, WorkerUnderTest worker) {
        worker.stop();
        long[] counted = countChangelog(world);
        BenchWorld.deleteRecursively(world.shardDirectory());
        ProcessCpu.Reading before = ProcessCpu.read();
        WorkerUnderTest.Startup startup = worker.start();
        return new Figures(counted[0], counted[1], startup.restoreSeconds(), before.until(ProcessCpu.read()));
    }

    /** Changelog records, and the ledger entries in them, read as the restore reads them. */
    private static long[] countChangelog(BenchWorld world) {
        String changelog = world.topics().changelog();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(world.observerConsumer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(changelog).stream()
                    .map(info -> new TopicPartition(changelog, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long records = 0;
            long entries = 0;
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    records++;
                    if (LatencyProbe.indexOf(record.value(), TRANSACTION_FIELD) >= 0) {
                        entries += 2;
                    }
                }
            }
            return new long[] {records, entries};
        }
    }
}
