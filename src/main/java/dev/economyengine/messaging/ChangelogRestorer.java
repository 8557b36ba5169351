package dev.economyengine.messaging;

import dev.economyengine.ledger.Outcome;
import dev.economyengine.ledger.Transaction;
import dev.economyengine.store.ShardStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings shards up to date from their changelog partitions: reads, read_committed, from the offset
 * each shard records up to the partition's end, and writes the records in large SQLite transactions.
 * A new shard file starts at offset 0 and is rebuilt whole. All the shards given are restored together:
 * one fetch loop, and one writer thread per shard ({@link ShardWriters}), so that shards are decoded
 * and written side by side while the next records are fetched. The worker restores before it applies any request of a partition; the {@code
 * replay} command rebuilds shard files with it.
 */
public final class ChangelogRestorer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChangelogRestorer.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final long PROGRESS_EVERY_NANOS = Duration.ofSeconds(5).toNanos();
    /** Longer than any transaction may stay open (transaction.timeout.ms, 10 s by default). */
    public static final Duration OPEN_TRANSACTION_WAIT = Duration.ofSeconds(90);
    private static final Duration OPEN_TRANSACTION_POLL = Duration.ofMillis(50);

    private final Consumer<byte[], byte[]> consumer;
    private final Admin admin;
    private final String changelogTopic;
    private final Duration stallTimeout;
    private final Duration openTransactionWait;
    private final WorkerMetrics metrics;
    private final BooleanSupplier stopRequested;

    /**
     * @param consumer has no group and reads read_committed; it is used for nothing else
     * @param admin reads the partitions' end offsets
     * @param stallTimeout how long Kafka may go without answering before a restore fails with a
     *     {@link TimeoutException} (a {@link KafkaException}, which the worker retries)
     * @param openTransactionWait how long a transaction may keep a changelog partition from being
     *     restored ({@link #OPEN_TRANSACTION_WAIT}) before the restore fails, naming who holds it
     * @param metrics told of the progress, by partition
     * @param stopRequested whether the restore's owner is stopping: a wait for an open transaction, or a
     *     copy under way, then ends at once (the copy once its writes in flight are done), with {@link
     *     Stopped}, rather than outlasting the time a supervisor gives a process to stop
     */
    public ChangelogRestorer(Consumer<byte[], byte[]> consumer, Admin admin, String changelogTopic,
            Duration stallTimeout, Duration openTransactionWait, WorkerMetrics metrics, BooleanSupplier stopRequested) {
        this.consumer = consumer;
        this.admin = admin;
        this.changelogTopic = changelogTopic;
        this.stallTimeout = stallTimeout;
        this.openTransactionWait = openTransactionWait;
        this.metrics = metrics;
        this.stopRequested = stopRequested;
    }

    /**
     * The restore gave up waiting because its owner is stopping. A {@link KafkaException}, as the
     * restore's other retryable failures are: the worker applies nothing until a restore succeeds.
     */
    public static final class Stopped extends KafkaException {
        private static final long serialVersionUID = 1L;

        Stopped(String message) {
            super(message);
        }
    }

    /** Restores the shards, by partition; returns the changelog records written, by partition. */
    public Map<Integer, Long> restore(Map<Integer, ShardStore> shards) {
        return shards.isEmpty() ? Map.of() : restore(shards, stableEnds(shards.keySet()));
    }

    /**
     * Restores the shards up to the given ends of their changelog partitions, read by {@link #stableEnds}
     * once no transaction was open on them; returns the changelog records written, by partition.
     */
    public Map<Integer, Long> restore(Map<Integer, ShardStore> shards, Map<Integer, Long> ends) {
        Map<Integer, Long> restored = new TreeMap<>();
        shards.keySet().forEach(partition -> restored.put(partition, 0L));
        if (shards.isEmpty()) {
            return restored;
        }
        Map<TopicPartition, ShardStore> byChangelog = new HashMap<>();
        shards.forEach((partition, shard) -> byChangelog.put(changelog(partition), shard));
        consumer.assign(byChangelog.keySet());
        try {
            Map<TopicPartition, Long> pending = new HashMap<>();
            byChangelog.forEach((changelog, shard) -> {
                long from = shard.changelogOffset();
                long end = ends.get(changelog.partition());
                if (from > end) {
                    throw new IllegalStateException("shard " + changelog.partition() + " reflects changelog offset "
                            + from + " but " + changelog + " ends at " + end + ": the changelog topic lost data");
                }
                if (from < end) {
                    consumer.seek(changelog, from);
                    pending.put(changelog, end);
                }
            });
            consumer.pause(byChangelog.keySet().stream().filter(p -> !pending.containsKey(p)).toList());
            if (!pending.isEmpty()) {
                Map<Integer, String> lastRulesVersions = new ConcurrentHashMap<>();
                copy(byChangelog, pending, restored, lastRulesVersions);
                warnOfOtherRulesVersions(shards, lastRulesVersions);
            }
            return restored;
        } finally {
            consumer.assign(List.of());
        }
    }

    /**
     * The ends of the changelog partitions once no transaction is open on them. Only a partition's
     * owner writes its changelog, and the new owner has none open, so an open transaction belongs to a
     * previous owner: a zombie whose commit may still land, or a dead worker whose transaction will
     * time out. Restoring before it is decided could miss a batch whose offsets then commit, so wait
     * until the last stable offset reaches the high watermark.
     */
    public Map<Integer, Long> stableEnds(Set<Integer> partitions) {
        long deadline = System.nanoTime() + openTransactionWait.toNanos();
        boolean logged = false;
        while (true) {
            Map<Integer, Long> stable = offsets(partitions, OffsetSpec.latest(), IsolationLevel.READ_COMMITTED);
            Map<Integer, Long> written = offsets(partitions, OffsetSpec.latest(), IsolationLevel.READ_UNCOMMITTED);
            if (stable.equals(written)) {
                return stable;
            }
            if (stopRequested.getAsBoolean()) {
                throw new Stopped("stopping while changelog " + changelogTopic + " partitions " + partitions
                        + " have an open transaction; the restore is left for the next owner");
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("changelog " + changelogTopic + " partitions " + partitions
                        + " still have an open transaction after " + openTransactionWait + " (stable " + stable
                        + ", written " + written + "): " + openTransactions(partitions));
            }
            if (!logged) {
                log.info("waiting for an earlier owner's open transaction on {} {} to be decided", changelogTopic,
                        partitions);
                logged = true;
            }
            try {
                Thread.sleep(OPEN_TRANSACTION_POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting to restore", e);
            }
        }
    }

    /**
     * For the operator, when a transaction stays open far longer than any transaction may: who holds
     * it. No coordinator will decide a transaction it has lost track of (a hanging transaction); Kafka's
     * {@code kafka-transactions.sh} finds such transactions ({@code find-hanging}) and aborts them. The
     * worker does not abort them itself: the ones seen here were committed by a coordinator that skipped
     * the markers of partitions without a leader (a Kafka defect), and aborting those drops committed
     * records.
     */
    private String openTransactions(Set<Integer> partitions) {
        List<TopicPartition> changelogs = partitions.stream().map(this::changelog).toList();
        try {
            List<String> held = new ArrayList<>();
            admin.describeProducers(changelogs).all().get(stallTimeout.toMillis(), TimeUnit.MILLISECONDS)
                    .forEach((changelog, state) -> state.activeProducers().stream()
                            .filter(producer -> producer.currentTransactionStartOffset().isPresent())
                            .forEach(producer -> held.add(openTransaction(changelog.partition(), producer))));
            return held.isEmpty() ? "no producer reported" : "\n" + String.join("\n", held);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            return "cannot describe the producers: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while describing the producers";
        }
    }

    private String openTransaction(int partition, ProducerState producer) {
        long start = producer.currentTransactionStartOffset().getAsLong();
        return String.format(Locale.ROOT, "partition %d: producer id %d, epoch %d, open since offset %d, last written"
                + " %s. Open longer than the workers' transaction timeout, it is hanging, most likely committed by a"
                + " coordinator that skipped its markers (README, Operations: a partition held by a transaction"
                + " nobody decides). Only if no partition it wrote holds its commit marker, with the workers"
                + " stopped, abort it on each of them, this one with: kafka-transactions.sh --bootstrap-server"
                + " <brokers> abort --topic %s --partition %d --start-offset %d; then replay the shard",
                partition, producer.producerId(), producer.producerEpoch(), start,
                Instant.ofEpochMilli(producer.lastTimestamp()), changelogTopic, partition, start);
    }

    /** The first offsets still held by the changelog partitions (0 unless records were deleted). */
    public Map<Integer, Long> startOffsets(Set<Integer> partitions) {
        return offsets(partitions, OffsetSpec.earliest(), IsolationLevel.READ_UNCOMMITTED);
    }

    private Map<Integer, Long> offsets(Set<Integer> partitions, OffsetSpec spec, IsolationLevel isolation) {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(partition -> request.put(changelog(partition), spec));
        ListOffsetsOptions options = new ListOffsetsOptions(isolation);
        options.timeoutMs((int) Math.min(Integer.MAX_VALUE, stallTimeout.toMillis()));
        try {
            Map<Integer, Long> offsets = new TreeMap<>();
            admin.listOffsets(request, options).all().get()
                    .forEach((changelog, info) -> offsets.put(changelog.partition(), info.offset()));
            return offsets;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof KafkaException kafka
                    ? kafka
                    : new KafkaException("cannot read the offsets of " + changelogTopic + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading end offsets", e);
        }
    }

    /**
     * Every worker of a group must run the same economy file: a shard whose latest restored earn was
     * decided under another rules version was written by a worker that ran another file, and this one
     * may decide the same requests differently (its limits, amounts and caps).
     */
    private static void warnOfOtherRulesVersions(Map<Integer, ShardStore> shards, Map<Integer, String> lastRulesVersions) {
        lastRulesVersions.forEach((partition, version) -> {
            String running = shards.get(partition).economy().rulesVersion();
            if (!running.equals(version)) {
                log.warn("shard {}: its latest earns were decided under rules version {}, but this worker runs rules"
                        + " version {}: every worker of a group must run the same economy file (rules.file)",
                        partition, version, running);
            }
        });
    }

    private void copy(Map<TopicPartition, ShardStore> shards, Map<TopicPartition, Long> pending,
            Map<Integer, Long> restored, Map<Integer, String> lastRulesVersions) {
        log.debug("restoring shards from {}: {}", changelogTopic, pending);
        long started = System.nanoTime();
        long lastProgress = started;
        long lastMoved = started;
        long lastReached = -1;
        Map<TopicPartition, Long> ends = Map.copyOf(pending);
        try (ShardWriters writers = new ShardWriters(pending.keySet().stream().map(TopicPartition::partition).toList())) {
            while (!pending.isEmpty()) {
                if (stopRequested.getAsBoolean()) {
                    // Each write is one SQLite transaction with the offset it reaches, so what is
                    // written stands, and the next restore of these shards goes on from there.
                    progress(writers.awaitAll(), restored, ends);
                    throw new Stopped("stopping while restoring shards from " + changelogTopic + "; restored "
                            + restored + " records so far, still behind: " + pending.keySet());
                }
                ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
                for (TopicPartition changelog : records.partitions()) {
                    List<ConsumerRecord<byte[], byte[]>> batch = records.records(changelog);
                    ShardStore shard = shards.get(changelog);
                    writers.submit(changelog.partition(), () -> write(changelog, batch, shard, lastRulesVersions));
                }
                progress(writers.done(), restored, ends);
                long now = System.nanoTime();
                // Progress is the position, not records: aborted batches and markers return none.
                long reached = pending.keySet().stream().mapToLong(consumer::position).sum();
                if (reached > lastReached) {
                    lastReached = reached;
                    lastMoved = now;
                } else if (now - lastMoved > stallTimeout.toNanos()) {
                    throw new TimeoutException("no changelog records from " + changelogTopic + " for " + stallTimeout
                            + "; still behind: " + pending.keySet());
                }
                pending.entrySet().removeIf(done -> consumer.position(done.getKey()) >= done.getValue());
                if (now - lastProgress > PROGRESS_EVERY_NANOS) {
                    log.info("restoring: {} records so far; still behind: {}", sum(restored), pending.keySet());
                    lastProgress = now;
                }
            }
            progress(writers.awaitAll(), restored, ends);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while restoring", e);
        }
        double seconds = Math.max(1e-9, (System.nanoTime() - started) / 1e9);
        if (sum(restored) > 0) {
            // Only a transaction's commit marker past the recorded offset is nothing worth a line.
            log.info("restored shards {}: {} changelog records in {} s ({} records/s)", restored.keySet(),
                    sum(restored), String.format("%.2f", seconds), Math.round(sum(restored) / seconds));
        }
    }

    /** On the shard's writer thread: decodes one fetch of its changelog and writes it in one SQLite transaction. */
    private ShardWriters.Written write(TopicPartition changelog, List<ConsumerRecord<byte[], byte[]>> records,
            ShardStore shard, Map<Integer, String> lastRulesVersions) {
        List<Outcome> outcomes = new ArrayList<>(records.size());
        long next = -1;
        // Records of the first format are the default currency's: that of the economy the shard runs.
        ChangelogCodec codec = new ChangelogCodec(shard.economy().defaultCurrency());
        for (ConsumerRecord<byte[], byte[]> record : records) {
            Outcome outcome = decode(codec, changelog, record);
            outcomes.add(outcome);
            outcome.transaction().map(Transaction::basis).ifPresent(basis ->
                    lastRulesVersions.put(changelog.partition(), basis.rulesVersion()));
            next = record.offset() + 1;
        }
        shard.restore(outcomes, next);
        return new ShardWriters.Written(changelog.partition(), outcomes.size(), next);
    }

    /** On the caller's thread: counts and reports what the writer threads have written. */
    private void progress(List<ShardWriters.Written> writes, Map<Integer, Long> restored,
            Map<TopicPartition, Long> ends) {
        for (ShardWriters.Written written : writes) {
            long total = restored.merge(written.partition(), (long) written.records(), Long::sum);
            long end = ends.getOrDefault(changelog(written.partition()), written.nextOffset());
            metrics.restoreProgress(written.partition(), total, Math.max(0, end - written.nextOffset()));
        }
    }

    private static Outcome decode(ChangelogCodec codec, TopicPartition changelog, ConsumerRecord<byte[], byte[]> record) {
        try {
            return codec.decode(record.value());
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot read changelog record " + changelog + "@" + record.offset() + ": "
                    + e.getMessage(), e);
        }
    }

    private static long sum(Map<Integer, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    private TopicPartition changelog(int partition) {
        return new TopicPartition(changelogTopic, partition);
    }

    @Override
    public void close() {
        try {
            consumer.close();
        } finally {
            admin.close();
        }
    }
}
