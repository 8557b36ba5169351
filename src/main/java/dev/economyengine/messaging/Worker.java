package dev.economyengine.messaging;

import dev.economyengine.ledger.EarningRules;
import dev.economyengine.ledger.RequestType;
import dev.economyengine.store.DecidedBatch;
import dev.economyengine.store.ShardStore;
import dev.economyengine.store.StoreException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The poll loop: reads earn and spend requests, applies them exactly once to the ledger shards, and
 * publishes results, balance-changed events and the ledger changelog in Kafka transactions.
 *
 * <p>Exactly-once protocol. Kafka is the source of truth; each shard's SQLite file is this worker's
 * local, queryable copy of the changelog partition of the same number. Once per loop:
 * <ol>
 *   <li>poll (after a long batch, twice: see {@link #CATCH_UP_POLL}); buffer each record in the
 *       {@link PartitionMerger} of its partition; drain what the mergers release, in merged order;
 *   <li>begin a Kafka transaction;
 *   <li>per shard, decide the shard's records against its file and the batches it has decided but not
 *       yet written ({@link ShardStore#decide}); nothing is written yet;
 *   <li>send, in the Kafka transaction, every result, balance change, dead letter and changelog record;
 *   <li>send the consumed offsets to the transaction with the consumer's group metadata (started
 *       with step 2 on a helper thread, it overlaps steps 3 and 4; the commit waits for it);
 *   <li>commit the Kafka transaction;
 *   <li>per shard, hand the batch and the changelog offset it reaches to the shard's writer thread,
 *       which commits them to SQLite in one transaction ({@link ShardStore#writeBehind}) while this
 *       loop goes on with the next batch.
 * </ol>
 * If the process dies before 6, the Kafka transaction is aborted (by its timeout, or at once when
 * this worker's next incarnation calls initTransactions with the same transactional.id), and the
 * batch is delivered again from the committed offsets: nothing was published, nothing written. If it
 * dies after 6 and before its batches reach SQLite, everything is in Kafka but a shard is behind: when
 * the partition is assigned again (to this worker or another), the shard replays the changelog from its
 * recorded offset before any request is applied, and consumption resumes after the batch. The same
 * happens in-process: a failure before or during 6 discards the decided batches, aborts, rewinds to
 * the committed offsets and brings the shards up to the changelog's end before the next batch (a
 * commit that timed out may have committed after all); a shard whose write fails is restored from the
 * changelog before it decides again. A worker that lost its partitions while it was
 * busy (a zombie) cannot commit once the group has moved on: its offsets carry an old generation, so
 * its transaction aborts. A zombie's commit already under way when the partition moves may still land;
 * so the new owner restores only once no transaction is open on the changelog partition, and Kafka
 * (KIP-447) holds back its committed offsets until the zombie's transaction is decided: shard and
 * offsets then agree either way. A shard is closed (on revocation or shutdown) only after its writer
 * has written everything handed to it.
 *
 * <p>Threads: everything runs on the thread that calls {@link #run()}, including the rebalance
 * callbacks (Kafka calls them inside poll, when no transaction is open), except the blocking
 * {@code sendOffsetsToTransaction} call of step 5 (the producer is thread-safe) and the SQLite writes
 * of step 7 (each shard's own writer thread); {@link #stop()} and {@link #ownedPartitions()} may be
 * called from any thread.
 */
public final class Worker implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Worker.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    /**
     * The consumer fetches while the loop works, but the broker answers that fetch as soon as it has a
     * record: the poll after a long batch returns only what arrived in the batch's first moments. Records
     * that arrived later are at the broker, fetched only by this poll's fetch, and would wait a whole
     * batch more. So after a batch that took this long, a second poll waits up to this long for them:
     * one round trip to the broker, where the wait saves a batch.
     */
    private static final Duration CATCH_UP_POLL = Duration.ofMillis(5);
    /** A restore that hears nothing from Kafka for this long fails, and is retried by recovery. */
    private static final Duration RESTORE_STALL_TIMEOUT = Duration.ofSeconds(30);
    /**
     * Fault injection for the recovery tests: halt the JVM right after the N-th Kafka commit, before
     * its batch is handed to the shards' writers, so that the shards are certainly behind Kafka.
     * Never set in production.
     */
    private static final int HALT_AFTER_KAFKA_COMMIT = Integer.getInteger("economy.test.halt-after-kafka-commit", 0);

    private final Consumer<byte[], byte[]> consumer;
    private final Supplier<Producer<byte[], byte[]>> producerFactory;
    private final Topics topics;
    private final WorkerOptions options;
    private final ShardOpener shardOpener;
    private final ChangelogRestorer restorer;
    private final BatchOutput batchOutput;
    private final OwnedShards owned;
    private final WorkerMetrics metrics;
    /** This lane's shards; read by {@link #ownedPartitions()} from other threads. */
    private final Map<Integer, ShardStore> shards = new ConcurrentSkipListMap<>();
    private final Map<Integer, PartitionMerger> mergers = new HashMap<>();
    /** Sends each batch's offsets to its transaction while this worker's thread applies the batch. */
    private final ExecutorService offsetSender = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "economy-offsets");
        thread.setDaemon(true);
        return thread;
    });
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile boolean assigned;
    private volatile boolean restoring;
    private Producer<byte[], byte[]> producer;
    private Duration backoff = Duration.ZERO;
    private int kafkaCommits;
    /** When the previous poll returned: the time since is what the batch in between took. */
    private long previousPollReturned = System.nanoTime();
    private volatile boolean recoveryNeeded;

    /**
     * @param restoreConsumer a consumer without a group, read_committed, used only to replay the changelog
     * @param admin reads the changelog's end offsets before a restore; closed with the worker
     * @param producerFactory makes a transactional producer; called again only if one must be replaced
     * @param owned where the worker lists the shards it owns, for readers on other threads; also knows
     *     the partition count of the request topics and the changelog, checked at start
     */
    public Worker(Consumer<byte[], byte[]> consumer, Consumer<byte[], byte[]> restoreConsumer, Admin admin,
            Supplier<Producer<byte[], byte[]>> producerFactory, Topics topics, OwnedShards owned,
            WorkerOptions options, ShardOpener shardOpener, EarningRules rules, WorkerMetrics metrics) {
        this.consumer = consumer;
        this.producerFactory = producerFactory;
        this.topics = topics;
        this.options = options;
        this.shardOpener = shardOpener;
        this.owned = owned;
        this.metrics = metrics;
        this.restorer = new ChangelogRestorer(restoreConsumer, admin, topics.changelog(), RESTORE_STALL_TIMEOUT,
                ChangelogRestorer.OPEN_TRANSACTION_WAIT, metrics, () -> !running);
        this.batchOutput = new BatchOutput(topics, topics.changelog(), new RequestDecoder(rules),
                owned.partitionCount());
    }

    @Override
    public void run() {
        try {
            producer = newProducer();
            consumer.subscribe(topics.requestTopics(), new ShardAssignment(this));
            while (running) {
                pollOnce();
            }
            log.info("worker stopping: the batch in hand is finished and committed");
        } catch (RuntimeException | Error e) {
            log.error("worker failed and stops", e);
            throw e;
        } finally {
            closeAll();
            stopped.countDown();
        }
    }

    /** Asks the loop to finish the batch in hand, commit and close. Returns at once. */
    public void stop() {
        running = false;
        stopRequested.countDown();
    }

    public boolean awaitStopped(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The partitions whose shard is open and restored in this worker (this lane of the process). */
    public Set<Integer> ownedPartitions() {
        return Set.copyOf(shards.keySet());
    }

    /**
     * Ready once the worker is in the group with its partitions assigned and restored; a worker that
     * was given no partitions (a larger group than partitions) is ready too.
     */
    public Readiness readiness() {
        if (!running || stopped.getCount() == 0) {
            return new Readiness(false, "stopped");
        }
        // Restoring first: the first assignment counts as done only once its shards are restored.
        if (restoring) {
            return new Readiness(false, "restoring shards from the changelog");
        }
        if (!assigned) {
            return new Readiness(false, "joining the consumer group");
        }
        if (recoveryNeeded) {
            return new Readiness(false, "recovering from a failed batch");
        }
        // Called from other threads while the loop opens and closes shards: a TreeSet built from the
        // live, sorted key set sizes itself first and then fails if a shard closes meanwhile; a copy of
        // the (already sorted) keys does not.
        return new Readiness(true, "processing partitions " + List.copyOf(shards.keySet()));
    }

    /** Whether the worker is ready to serve, and why (or why not). */
    public record Readiness(boolean ready, String reason) {}

    private void pollOnce() {
        long sincePreviousPoll = System.nanoTime() - previousPollReturned;
        boolean polledRecords = pollIntoMergers(nextPollTimeout());
        if (polledRecords && sincePreviousPoll >= CATCH_UP_POLL.toNanos()) {
            pollIntoMergers(CATCH_UP_POLL);
        }
        previousPollReturned = System.nanoTime();
        if (recoveryNeeded) {
            // Whatever this poll returned lies past the committed offsets: it is read again after the rewind.
            if (recover()) {
                backoff = Duration.ZERO;
            } else {
                pause();
            }
            return;
        }
        Map<Integer, List<PartitionMerger.Typed>> ready = drainReady(System.nanoTime());
        if (ready.isEmpty()) {
            return;
        }
        try {
            processBatch(ready);
            backoff = Duration.ZERO;
        } catch (ProducerFencedException e) {
            // Another incarnation of this worker (same transactional.id) has started: this one is a zombie.
            throw new IllegalStateException("producer fenced by a newer instance of this worker; stopping", e);
        } catch (StoreException | KafkaException | PublishFailedException e) {
            log.error("batch failed and was rolled back; recovering before the next batch: {}", e.toString(), e);
            recoveryNeeded = true;
            pause();
        }
    }

    /**
     * After a failed batch, before any other: a working producer (whose initTransactions decides this
     * worker's own transaction if one was left open), the shards caught up with the changelog (a commit
     * that timed out may have committed after all, while SQLite rolled back), and the consumer rewound
     * to the committed offsets. Returns false, to be called again, while Kafka cannot be reached.
     */
    private boolean recover() {
        try {
            if (producer == null) {
                producer = newProducer();
            }
            restorer.restore(new TreeMap<>(shards));
            rewindToCommitted();
            recoveryNeeded = false;
            log.info("recovered: shards up to date with the changelog, consumer at the committed offsets");
            return true;
        } catch (KafkaException | StoreException e) {
            log.warn("cannot recover yet, will retry: {}", e.toString());
            return false;
        }
    }

    /**
     * Polls, and buffers what the poll returns in the partitions' mergers; returns whether it returned
     * any records. Records polled while a recovery is due are dropped: they are read again after the
     * rewind to the committed offsets.
     */
    private boolean pollIntoMergers(Duration timeout) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(timeout);
        if (recoveryNeeded) {
            return false;
        }
        long arrived = System.nanoTime();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            PartitionMerger merger = mergers.get(record.partition());
            if (merger != null) {
                merger.add(typeOf(record.topic()), record, arrived);
            }
        }
        return !records.isEmpty();
    }

    /** Steps 2 to 7 of the protocol in the class comment. */
    private void processBatch(Map<Integer, List<PartitionMerger.Typed>> ready) {
        reopenShardsThatFailedToWrite();
        List<BatchOutput.Applied> applied = new ArrayList<>();
        Map<Integer, Future<RecordMetadata>> lastChangelogSend = new HashMap<>();
        long kafkaCommitNanos;
        Future<?> offsetsSent = null;
        try {
            if (producer == null) {
                producer = newProducer();
            }
            producer.beginTransaction();
            offsetsSent = sendOffsets(producer, nextOffsets(ready), consumer.groupMetadata());
            for (Map.Entry<Integer, List<PartitionMerger.Typed>> partition : ready.entrySet()) {
                int number = partition.getKey();
                BatchOutput.Applied shardBatch = batchOutput.apply(number, shards.get(number), partition.getValue());
                applied.add(shardBatch);
                shardBatch.events().forEach(producer::send);
                for (ProducerRecord<byte[], byte[]> change : shardBatch.changelog()) {
                    lastChangelogSend.put(number, producer.send(change));
                }
            }
            await(offsetsSent);
            // From the commit on, the results are visible: hold the shards' readers until SQLite catches up.
            applied.forEach(a -> shards.get(a.batch().shardId()).holdReads(a.batch()));
            long commitStarted = System.nanoTime();
            producer.commitTransaction();
            kafkaCommitNanos = System.nanoTime() - commitStarted;
            if (++kafkaCommits == HALT_AFTER_KAFKA_COMMIT) {
                Runtime.getRuntime().halt(137);
            }
        } catch (RuntimeException e) {
            applied.forEach(a -> shards.get(a.batch().shardId()).discard(a.batch()));
            awaitQuietly(offsetsSent);
            abortTransaction(e);
            throw e;
        }
        for (BatchOutput.Applied shardBatch : applied) {
            writeShard(shardBatch.batch(), lastChangelogSend.get(shardBatch.batch().shardId()));
        }
        metrics.batchCommitted(ready.values().stream().mapToInt(List::size).sum(), kafkaCommitNanos);
        for (BatchOutput.Applied shardBatch : applied) {
            shardBatch.outcomes().forEach(outcome -> metrics.result(outcome.result()));
            for (int i = 0; i < shardBatch.deadLetters(); i++) {
                metrics.deadLettered();
            }
        }
    }

    /** The position after each partition's last record in the batch: the offsets the batch commits. */
    private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(Map<Integer, List<PartitionMerger.Typed>> ready) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (List<PartitionMerger.Typed> records : ready.values()) {
            for (PartitionMerger.Typed typed : records) {
                ConsumerRecord<byte[], byte[]> record = typed.record();
                offsets.put(new TopicPartition(record.topic(), record.partition()),
                        new OffsetAndMetadata(record.offset() + 1));
            }
        }
        return offsets;
    }

    /**
     * Step 5, started as soon as the transaction begins: sending offsets blocks for two round trips to
     * the brokers (transaction and group coordinators), which overlap with applying the batch on this
     * thread. The producer is thread-safe, and the offsets are known before the batch is applied.
     */
    private Future<?> sendOffsets(Producer<byte[], byte[]> inTransaction, Map<TopicPartition, OffsetAndMetadata> offsets,
            ConsumerGroupMetadata group) {
        return offsetSender.submit(() -> inTransaction.sendOffsetsToTransaction(offsets, group));
    }

    private static void await(Future<?> offsetsSent) {
        try {
            offsetsSent.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new PublishFailedException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishFailedException(e);
        }
    }

    /** Before an abort: the offsets call must be over, whatever its outcome (the abort reports that). */
    private static void awaitQuietly(Future<?> offsetsSent) {
        if (offsetsSent == null) {
            return;
        }
        try {
            await(offsetsSent);
        } catch (RuntimeException e) {
            // The batch fails anyway; its own exception is the one reported.
        }
    }

    /**
     * Step 7: the Kafka transaction is committed, so the shard must catch up, now or by restore. The
     * shard writes the batch on its own thread while this one goes on with the next batch.
     */
    private void writeShard(DecidedBatch batch, Future<RecordMetadata> lastChangelogSend) {
        try {
            OptionalLong next = lastChangelogSend == null
                    ? OptionalLong.empty()
                    : OptionalLong.of(awaitSend(lastChangelogSend).offset() + 1);
            shards.get(batch.shardId()).writeBehind(batch, next, metrics::shardWritten);
        } catch (StoreException | PublishFailedException e) {
            log.error("shard {} could not write a batch that Kafka has committed; restoring it from the changelog",
                    batch.shardId(), e);
            reopenShard(batch.shardId());
        }
    }

    /** A shard whose write-behind failed is behind what Kafka has: it is restored before it decides again. */
    private void reopenShardsThatFailedToWrite() {
        for (int partition : List.copyOf(shards.keySet())) {
            if (shards.get(partition).writeFailed()) {
                log.warn("shard {} failed to write a committed batch; restoring it from the changelog", partition);
                reopenShard(partition);
            }
        }
    }

    private void abortTransaction(RuntimeException cause) {
        if (cause instanceof ProducerFencedException) {
            return;
        }
        if (producer == null) {
            return;
        }
        try {
            producer.abortTransaction();
        } catch (KafkaException | IllegalStateException e) {
            // IllegalStateException: a commit that timed out cannot be aborted, only retried.
            // The producer is in a state it cannot abort from: drop it. The next batch makes a new one,
            // whose initTransactions aborts (or completes) whatever this one left open.
            log.warn("cannot abort the transaction ({}); replacing the producer", e.toString());
            producer.close(Duration.ZERO);
            producer = null;
        }
    }

    private Producer<byte[], byte[]> newProducer() {
        Producer<byte[], byte[]> created = producerFactory.get();
        try {
            // Fences any earlier incarnation with the same transactional.id and decides its open transaction.
            created.initTransactions();
            return created;
        } catch (RuntimeException e) {
            created.close(Duration.ZERO);
            throw e;
        }
    }

    private Duration nextPollTimeout() {
        long now = System.nanoTime();
        long wait = options.pollTimeout().toNanos();
        for (PartitionMerger merger : mergers.values()) {
            wait = Math.min(wait, merger.nanosUntilReady(now));
        }
        return Duration.ofNanos(wait);
    }

    private Map<Integer, List<PartitionMerger.Typed>> drainReady(long now) {
        Map<Integer, List<PartitionMerger.Typed>> ready = new TreeMap<>();
        mergers.forEach((partition, merger) -> {
            List<PartitionMerger.Typed> records = merger.drain(now, options.maxBatchRecords());
            if (!records.isEmpty()) {
                ready.put(partition, records);
            }
        });
        return ready;
    }

    private static RecordMetadata awaitSend(Future<RecordMetadata> send) {
        try {
            return send.get();
        } catch (ExecutionException e) {
            throw new PublishFailedException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishFailedException(e);
        }
    }

    private void rewindToCommitted() {
        Set<TopicPartition> assigned = consumer.assignment();
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(assigned);
        for (TopicPartition partition : assigned) {
            OffsetAndMetadata offset = committed.get(partition);
            if (offset == null) {
                consumer.seekToBeginning(List.of(partition));
            } else {
                consumer.seek(partition, offset);
            }
        }
        mergers.values().forEach(PartitionMerger::clear);
    }

    private void pause() {
        backoff = backoff.isZero() ? Duration.ofMillis(100) : min(backoff.multipliedBy(2), MAX_BACKOFF);
        try {
            stopRequested.await(backoff.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private RequestType typeOf(String topic) {
        return topic.equals(topics.earnRequests()) ? RequestType.EARN : RequestType.SPEND;
    }

    // Shard lifecycle, called by ShardAssignment inside poll.

    /** Opens the shards of newly assigned partitions and restores them before any request is applied. */
    void openShards(Set<Integer> partitions) {
        Map<Integer, ShardStore> opened = new TreeMap<>();
        restoring = true;
        try {
            for (int partition : partitions) {
                if (!shards.containsKey(partition)) {
                    opened.put(partition, shardOpener.open(partition));
                }
            }
            restorer.restore(opened);
        } catch (KafkaException e) {
            // Kafka is unreachable: keep the shards, apply nothing until recover() has caught them up.
            log.warn("cannot restore shards {} yet: {}", opened.keySet(), e.toString());
            recoveryNeeded = true;
        } catch (RuntimeException e) {
            opened.forEach(this::closeQuietly);
            throw e;
        } finally {
            restoring = false;
        }
        opened.forEach((partition, shard) -> {
            shards.put(partition, shard);
            owned.put(partition, shard);
            // A reopened shard keeps its partition's merger, and the records polled into it.
            mergers.computeIfAbsent(partition, p -> new PartitionMerger(options.mergeMaxWait().toNanos()));
        });
        assigned = true;
    }

    void closeShard(int partition) {
        PartitionMerger merger = mergers.remove(partition);
        if (merger != null) {
            // Not applied, so not committed: whoever owns the partition next reads them again.
            merger.clear();
        }
        closeStore(partition);
    }

    /**
     * Closes the shard and opens it again, restored from the changelog. The partition stays assigned,
     * so the records already polled for it stay in its merger: the consumer will not return them again,
     * and a later batch's offsets would pass them. A shard that cannot be opened stops the worker: its
     * partition could not be applied, and a restart restores it.
     */
    private void reopenShard(int partition) {
        closeStore(partition);
        try {
            openShards(Set.of(partition));
        } catch (RuntimeException e) {
            throw new IllegalStateException("shard " + partition + " cannot be reopened", e);
        }
    }

    /** Closes the shard's file, once its writer has written everything handed to it. */
    private void closeStore(int partition) {
        owned.remove(partition);
        ShardStore shard = shards.remove(partition);
        if (shard != null) {
            closeQuietly(partition, shard);
        }
    }

    Consumer<byte[], byte[]> consumer() {
        return consumer;
    }

    Topics topics() {
        return topics;
    }

    int partitionCount() {
        return owned.partitionCount();
    }

    private void closeAll() {
        // Only this lane's shards: other lanes of the process share the registry.
        shards.keySet().forEach(owned::remove);
        shards.forEach(this::closeQuietly);
        shards.clear();
        mergers.clear();
        offsetSender.shutdownNow();
        try {
            consumer.close();
        } finally {
            restorer.close();
            if (producer != null) {
                producer.close();
            }
        }
    }

    private void closeQuietly(int partition, ShardStore shard) {
        try {
            shard.close();
        } catch (StoreException e) {
            log.warn("closing shard {}: {}", partition, e.getMessage());
        }
    }

    /** Kafka did not take an event; the batch is retried from the committed offsets. */
    static final class PublishFailedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PublishFailedException(Throwable cause) {
            super("publishing failed: " + cause, cause);
        }
    }
}
