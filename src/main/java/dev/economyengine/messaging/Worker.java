package dev.economyengine.messaging;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.economyengine.ledger.Economy;
import dev.economyengine.ledger.RequestType;
import dev.economyengine.store.DecidedBatch;
import dev.economyengine.store.ShardStore;
import dev.economyengine.store.StoreException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The poll loop: reads earn and spend requests, applies them exactly once to the ledger shards, and
 * publishes results, balance-changed events and the ledger changelog in Kafka transactions.
 *
 * <p>Exactly-once protocol. Kafka is the source of truth; each shard's SQLite file is this worker's
 * local, queryable copy of the changelog partition of the same number. A shard applies requests only
 * while it is LIVE: its file then reflects every batch the group's committed offsets include (see
 * {@link ShardState} and {@link LaneShards} for how a shard gets there, and back after a failure). One
 * Kafka transaction may span several polls: it commits when the {@link CommitPolicy} says it is due (it
 * holds enough records, or its oldest has waited long enough), before the group takes partitions away,
 * and when the worker stops. Once per loop:
 * <ol>
 *   <li>move the shards that are not live one step on ({@link LaneShards#advance});
 *   <li>poll (after a long batch, twice: see {@link #CATCH_UP_POLL}); buffer each record in the
 *       {@link PartitionMerger} of its live shard; drain what the mergers release, in merged order;
 *   <li>begin a Kafka transaction, unless one is open ({@link OpenTransaction});
 *   <li>per shard, decide the shard's records against its file and the batches it has decided but not
 *       yet written ({@link ShardStore#decide}); nothing is written yet;
 *   <li>send, in the Kafka transaction, every result, balance change, dead letter and changelog record,
 *       and the copy of each request that belongs to another partition ({@link RequestRouter});
 *   <li>if the transaction is due: send the consumed offsets to it with the consumer's group metadata
 *       (when this loop's records make it due, started before step 4 on a helper thread, overlapping
 *       steps 4 and 5; the commit waits for it);
 *   <li>if due: commit the Kafka transaction (else the loop polls again, for at most the time until it is due);
 *   <li>per shard, hand the batch and the changelog offset it reaches to the shard's writer thread,
 *       which commits them to SQLite in one transaction ({@link ShardStore#writeBehind}) while this
 *       loop goes on with the next batch.
 * </ol>
 * If the process dies before 7, the Kafka transaction is aborted (by its timeout, or at once when
 * this worker's next incarnation calls initTransactions with the same transactional.id), and the
 * batch is delivered again from the committed offsets: nothing was published, nothing written. If it
 * dies after 7 and before its batches reach SQLite, everything is in Kafka but a shard is behind: when
 * the partition is assigned again (to this worker or another), the shard replays the changelog from its
 * recorded offset before it goes live, and consumption resumes after the batch. The same happens
 * in-process: a failure before or during 7 discards the decided batches, aborts (or drops the producer,
 * whose successor's initTransactions decides the transaction), and sends every live shard to FAILED, from
 * which it comes back through the committed offsets and the changelog (a commit that timed out may have
 * committed after all); a shard whose write fails does the same on its own. A worker that lost its
 * partitions while it was busy or paused (a zombie) cannot commit once the group has moved on: its
 * offsets carry an old generation, so its transaction aborts. A zombie's commit already under way when
 * the partition moves may still land; so the new owner first fetches the committed offsets stable,
 * which waits until the zombie's transaction is decided (KIP-447), and only then reads the changelog's
 * end, once no transaction is open on it: shard and offsets agree either way.
 *
 * <p>Threads: everything runs on the thread that calls {@link #run()}, including the rebalance
 * callbacks (Kafka calls them inside poll, when no transaction is open), except the blocking
 * {@code sendOffsetsToTransaction} call of step 6 (the producer is thread-safe), the SQLite writes of
 * step 8 (each shard's own writer thread) and restores (the lane's restore thread, {@link ShardRestores});
 * {@link #stop()}, {@link #readiness()} and {@link #ownedPartitions()} may be called from any thread.
 */
public final class Worker implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Worker.class);
    /**
     * The consumer fetches while the loop works, but the broker answers that fetch as soon as it has a
     * record: the poll after a long batch returns only what arrived in the batch's first moments. Records
     * that arrived later are at the broker, fetched only by this poll's fetch, and would wait a whole
     * batch more. So after a batch that took this long, a second poll waits up to this long for them:
     * one round trip to the broker, where the wait saves a batch.
     */
    private static final Duration CATCH_UP_POLL = Duration.ofMillis(5);
    /** A restore that hears nothing from Kafka for this long fails, and the shard goes round again. */
    private static final Duration RESTORE_STALL_TIMEOUT = Duration.ofSeconds(30);
    /** While a shard needs a step on this thread, polls wait at most this long. */
    private static final Duration BUSY_POLL = Duration.ofMillis(10);
    /**
     * Fault injection for the recovery tests: halt the JVM right after the N-th Kafka commit, before
     * its batch is handed to the shards' writers, so that the shards are certainly behind Kafka.
     * Never set in production.
     */
    private static final int HALT_AFTER_KAFKA_COMMIT = Integer.getInteger("economy.test.halt-after-kafka-commit", 0);

    private static final AtomicInteger RESTORE_THREADS = new AtomicInteger();

    private final Consumer<byte[], byte[]> consumer;
    private final TransactionalProducer producer;
    private final Topics topics;
    private final WorkerOptions options;
    private final CommitPolicy commitPolicy;
    private final LaneShards shards;
    private final BatchOutput batchOutput;
    private final ReplyTargets replyTargets;
    private final OwnedShards owned;
    private final WorkerMetrics metrics;
    /** Sends each batch's offsets to its transaction while this worker's thread applies the batch. */
    private final ExecutorService offsetSender = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "economy-offsets");
        thread.setDaemon(true);
        return thread;
    });
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;
    private int kafkaCommits;
    /** The transaction kept open across polls, if any; see {@link CommitPolicy}. */
    private OpenTransaction open;
    /** When the previous poll returned: the time since is what the batch in between took. */
    private long previousPollReturned = System.nanoTime();

    /**
     * @param restoreConsumer a consumer without a group, read_committed, used only to replay the changelog
     * @param admin reads the changelog's end offsets before a restore; closed with the worker
     * @param producerFactory makes a transactional producer; called again only if one must be replaced
     * @param owned where the worker lists its shards and their states, for readers on other threads; also
     *     knows the partition count of the request topics and the changelog, checked at start
     */
    public Worker(Consumer<byte[], byte[]> consumer, Consumer<byte[], byte[]> restoreConsumer, Admin admin,
            Supplier<Producer<byte[], byte[]>> producerFactory, Topics topics, OwnedShards owned,
            WorkerOptions options, ShardOpener shardOpener, Economy economy, WorkerMetrics metrics) {
        this.consumer = consumer;
        this.producer = new TransactionalProducer(producerFactory);
        this.topics = topics;
        this.options = options;
        this.commitPolicy = options.commitPolicy();
        this.owned = owned;
        this.metrics = metrics;
        ShardRestores restores = new ShardRestores(shardOpener, restoreConsumer, admin, topics.changelog(),
                RESTORE_STALL_TIMEOUT, ChangelogRestorer.OPEN_TRANSACTION_WAIT, metrics, () -> !running,
                "economy-restore-" + RESTORE_THREADS.getAndIncrement());
        this.shards = new LaneShards(consumer, topics, owned, restores,
                OffsetReset.of(options.autoOffsetReset()), options.mergeMaxWait());
        this.replyTargets = new ReplyTargets(topics.all(), options.replyTopicPattern(),
                new ReplyTopicMetadata(admin, ReplyTopicMetadata.TIMEOUT), Ticker.systemTicker());
        this.batchOutput = new BatchOutput(topics, topics.changelog(), new RequestDecoder(economy),
                owned.partitionCount(), replyTargets);
    }

    @Override
    public void run() {
        try {
            producer.tryStart();
            consumer.subscribe(topics.requestTopics(), new ShardAssignment(this));
            while (running) {
                pollOnce();
            }
            finishOpenTransaction(true);
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
    }

    public boolean awaitStopped(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The partitions whose shard is live in this worker (this lane of the process). */
    public Set<Integer> ownedPartitions() {
        return shards.livePartitions();
    }

    /**
     * Ready once the worker is in the group with its partitions assigned and every shard live; a worker
     * that was given no partitions (a larger group than partitions) is ready too.
     */
    public Readiness readiness() {
        if (!running || stopped.getCount() == 0) {
            return new Readiness(false, "stopped");
        }
        Optional<String> notReady = shards.notReadyBecause().or(this::groupSilent);
        return notReady.map(why -> new Readiness(false, why))
                .orElseGet(() -> new Readiness(true, "processing partitions " + List.copyOf(ownedPartitions())));
    }

    /**
     * Why the group may have moved on without this worker: its heartbeats have not reached the group
     * coordinator for longer than the session timeout (a broker gone, a network cut). From the
     * consumer's own metrics, which any thread may read.
     */
    private Optional<String> groupSilent() {
        for (Map.Entry<MetricName, ? extends Metric> metric : consumer.metrics().entrySet()) {
            MetricName name = metric.getKey();
            if (name.name().equals("last-heartbeat-seconds-ago") && name.group().equals("consumer-coordinator-metrics")
                    && metric.getValue().metricValue() instanceof Number seconds
                    && seconds.doubleValue() * 1000 > options.sessionTimeout().toMillis()) {
                return Optional.of(String.format(Locale.ROOT, "no heartbeat has reached the consumer group for %.0f s"
                        + " (session timeout %d s): the group may have moved on without this worker",
                        seconds.doubleValue(), options.sessionTimeout().toSeconds()));
            }
        }
        return Optional.empty();
    }

    /** Whether the worker is ready to serve, and why (or why not). */
    public record Readiness(boolean ready, String reason) {}

    private void pollOnce() {
        boolean producerReady = producer.tryStart();
        shards.advance(producerReady);
        long sincePreviousPoll = System.nanoTime() - previousPollReturned;
        boolean polledRecords = pollIntoMergers(nextPollTimeout());
        if (polledRecords && sincePreviousPoll >= CATCH_UP_POLL.toNanos()) {
            pollIntoMergers(CATCH_UP_POLL);
        }
        previousPollReturned = System.nanoTime();
        if (!producerReady) {
            return;
        }
        if (open == null) {
            // Between transactions only: a shard in the open one holds decisions it has yet to write.
            shards.failWritesThatFailed();
        }
        try {
            applyReadyAndCommitWhenDue();
        } catch (ProducerFencedException e) {
            // Another incarnation of this worker (same transactional.id) has started: this one is a zombie.
            throw new IllegalStateException("producer fenced by a newer instance of this worker; stopping", e);
        } catch (StoreException | KafkaException | PublishFailedException e) {
            log.error("batch failed and was rolled back; its shards catch up with Kafka before the next batch: {}",
                    e.toString(), e);
            replyTargets.forget();
            shards.failLive("the batch failed: " + e);
        }
    }

    /**
     * Polls, and buffers what the poll returns in the mergers of live shards; returns whether it returned
     * any records. A shard that is not live has its partitions paused, so it gets none.
     */
    private boolean pollIntoMergers(Duration timeout) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(timeout);
        long arrived = System.nanoTime();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            shards.live(record.partition())
                    .ifPresent(shard -> shard.merger().add(typeOf(record.topic()), record, arrived));
        }
        return !records.isEmpty();
    }

    /**
     * Steps 3 to 8 of the protocol in the class comment, spread over polls as the commit policy says:
     * the records the mergers release join the open transaction (which begins with the first), and the
     * transaction commits once the policy says it is due. When this batch makes it due, its offsets are
     * sent while it is applied, as a commit per poll would.
     */
    private void applyReadyAndCommitWhenDue() {
        long now = System.nanoTime();
        Map<Integer, List<PartitionMerger.Typed>> ready = drainReady(now);
        if (ready.isEmpty()) {
            if (open != null && commitPolicy.commitsNow(open.records(), open.openedNanos(), now)) {
                commit(null);
            }
            return;
        }
        int readyRecords = ready.values().stream().mapToInt(List::size).sum();
        OpenTransaction transaction = open != null ? open : begin(now);
        Future<?> offsetsSent = null;
        try {
            transaction.consumed(nextOffsets(ready));
            boolean commitAfter = commitPolicy.commitsNow(transaction.records() + readyRecords,
                    transaction.openedNanos(), now);
            if (commitAfter) {
                offsetsSent = sendOffsets(producer.get(), transaction.offsets(), consumer.groupMetadata());
            }
            apply(transaction, ready);
            if (commitAfter) {
                commit(offsetsSent);
            }
        } catch (RuntimeException e) {
            abortOpen(offsetsSent, e);
            throw e;
        }
    }

    private OpenTransaction begin(long now) {
        producer.get().beginTransaction();
        open = new OpenTransaction(now);
        return open;
    }

    /** Steps 4 and 5: decides each shard's records and sends what they publish, in the open transaction. */
    private void apply(OpenTransaction transaction, Map<Integer, List<PartitionMerger.Typed>> ready) {
        Producer<byte[], byte[]> inTransaction = producer.get();
        for (Map.Entry<Integer, List<PartitionMerger.Typed>> partition : ready.entrySet()) {
            int number = partition.getKey();
            ShardStore store = shards.live(number).orElseThrow().requireStore();
            BatchOutput.Applied shardBatch = batchOutput.apply(number, store, partition.getValue());
            transaction.add(store, shardBatch, partition.getValue().size());
            metrics.openTransactionChanged(partition.getValue().size());
            shardBatch.events().forEach(inTransaction::send);
            for (ProducerRecord<byte[], byte[]> change : shardBatch.changelog()) {
                transaction.changelogSent(shardBatch, inTransaction.send(change));
            }
        }
    }

    /**
     * Steps 6 to 8: the offsets (unless already under way), the commit, then the shards' writes. On
     * failure the transaction is aborted and its decisions discarded, and the failure is thrown.
     */
    private void commit(Future<?> offsetsUnderWay) {
        OpenTransaction transaction = open;
        Producer<byte[], byte[]> inTransaction = producer.get();
        long kafkaCommitNanos;
        Future<?> offsetsSent = offsetsUnderWay;
        try {
            if (offsetsSent == null) {
                offsetsSent = sendOffsets(inTransaction, transaction.offsets(), consumer.groupMetadata());
            }
            await(offsetsSent);
            // From the commit on, the results are visible: hold the shards' readers until SQLite catches up.
            transaction.applied().forEach(a -> transaction.store(a).holdReads(a.batch()));
            long commitStarted = System.nanoTime();
            inTransaction.commitTransaction();
            kafkaCommitNanos = System.nanoTime() - commitStarted;
            open = null;
            metrics.openTransactionChanged(-transaction.records());
            if (++kafkaCommits == HALT_AFTER_KAFKA_COMMIT) {
                Runtime.getRuntime().halt(137);
            }
        } catch (RuntimeException e) {
            abortOpen(offsetsSent, e);
            throw e;
        }
        for (BatchOutput.Applied shardBatch : transaction.applied()) {
            writeShard(transaction.store(shardBatch), shardBatch.batch(), transaction.lastChangelogSend(shardBatch));
        }
        metrics.batchCommitted(transaction.records(), kafkaCommitNanos);
        for (BatchOutput.Applied shardBatch : transaction.applied()) {
            shardBatch.outcomes().forEach(outcome -> metrics.result(outcome.result()));
            for (int i = 0; i < shardBatch.deadLetters(); i++) {
                metrics.deadLettered();
            }
            shardBatch.forwards().forEach(forward -> metrics.forwarded(forward.topic()));
            shardBatch.replies().forEach(reply -> metrics.replySent());
            shardBatch.refusedReplies().forEach(metrics::replyRefused);
        }
    }

    /** The open transaction will not commit: its decisions are discarded and it is aborted. */
    private void abortOpen(Future<?> offsetsSent, RuntimeException cause) {
        if (open == null) {
            return;
        }
        OpenTransaction transaction = open;
        open = null;
        metrics.openTransactionChanged(-transaction.records());
        transaction.discardDecisions();
        awaitQuietly(offsetsSent);
        producer.abort(cause);
    }

    /**
     * Before the group takes partitions away (or the worker stops): the open transaction commits, so
     * that what was applied is published and its offsets move on. A failure aborts it, and the next owner
     * reads its records again. Partitions lost, rather than revoked, cannot commit: the group has moved on.
     */
    void finishOpenTransaction(boolean canCommit) {
        if (open == null) {
            return;
        }
        try {
            if (canCommit) {
                commit(null);
            } else {
                abortOpen(null, new KafkaException("partitions lost"));
            }
        } catch (ProducerFencedException e) {
            throw new IllegalStateException("producer fenced by a newer instance of this worker; stopping", e);
        } catch (StoreException | KafkaException | PublishFailedException e) {
            log.warn("the open transaction could not commit and was aborted: {}", e.toString());
            replyTargets.forget();
            shards.failLive("the batch failed: " + e);
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
     * Step 8: the Kafka transaction is committed, so the shard must catch up, now or by restore. The
     * shard writes the batch on its own thread while this one goes on with the next batch; a write that
     * fails sends the shard round its lifecycle again before its next batch.
     */
    private void writeShard(ShardStore shard, DecidedBatch batch, Future<RecordMetadata> lastChangelogSend) {
        try {
            OptionalLong next = lastChangelogSend == null
                    ? OptionalLong.empty()
                    : OptionalLong.of(awaitSend(lastChangelogSend).offset() + 1);
            shard.writeBehind(batch, next, metrics::shardWritten);
        } catch (StoreException | PublishFailedException e) {
            log.error("shard {} could not write a batch that Kafka has committed; it will be restored from the"
                    + " changelog", batch.shardId(), e);
            shards.fail(batch.shardId(), "it could not write a batch that Kafka committed: " + e);
        }
    }

    private Duration nextPollTimeout() {
        long now = System.nanoTime();
        long wait = options.pollTimeout().toNanos();
        long untilShardWork = shards.nanosUntilWork(now);
        if (untilShardWork < wait) {
            wait = Math.max(untilShardWork, BUSY_POLL.toNanos());
        }
        for (ShardLifecycle shard : shards.all()) {
            if (shard.state().isLive()) {
                wait = Math.min(wait, shard.merger().nanosUntilReady(now));
            }
        }
        if (open != null) {
            wait = Math.min(wait, commitPolicy.nanosUntilCommit(open.records(), open.openedNanos(), now));
        }
        return Duration.ofNanos(wait);
    }

    private Map<Integer, List<PartitionMerger.Typed>> drainReady(long now) {
        Map<Integer, List<PartitionMerger.Typed>> ready = new TreeMap<>();
        for (ShardLifecycle shard : shards.all()) {
            if (shard.state().isLive()) {
                List<PartitionMerger.Typed> records = shard.merger().drain(now, options.maxBatchRecords());
                if (!records.isEmpty()) {
                    ready.put(shard.partition(), records);
                }
            }
        }
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

    private RequestType typeOf(String topic) {
        return topic.equals(topics.earnRequests()) ? RequestType.EARN : RequestType.SPEND;
    }

    // Called by ShardAssignment inside poll.

    void shardsAssigned(Set<Integer> partitions) {
        shards.assigned(partitions);
    }

    void shardsRevoked(Set<Integer> partitions) {
        finishOpenTransaction(true);
        shards.revoked(partitions);
    }

    void shardsLost(Set<Integer> partitions) {
        finishOpenTransaction(false);
        shards.revoked(partitions);
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
        try {
            shards.close();
        } finally {
            offsetSender.shutdownNow();
            try {
                consumer.close();
            } finally {
                producer.close();
            }
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
