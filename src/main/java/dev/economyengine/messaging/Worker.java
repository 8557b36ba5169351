package dev.economyengine.messaging;

import dev.economyengine.ledger.EarningRules;
import dev.economyengine.ledger.Outcome;
import dev.economyengine.ledger.Request;
import dev.economyengine.ledger.RequestType;
import dev.economyengine.store.ShardStore;
import dev.economyengine.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The poll loop: reads earn and spend requests, applies them to the ledger shards, publishes results
 * and balance-changed events, and commits offsets.
 *
 * <p>Protocol, once per loop:
 * <ol>
 *   <li>poll; buffer each record in the {@link PartitionMerger} of its partition;
 *   <li>drain, per partition, the records the merger releases, in merged order;
 *   <li>decode them; apply the readable ones to the partition's shard in ONE SQLite transaction;
 *   <li>publish every result, balance-changed event and dead letter, and wait until Kafka has them;
 *   <li>commit, per topic-partition, the offset after the last record applied.
 * </ol>
 * If the process dies between any two steps, the records of the batch are delivered again from the
 * last committed offset. Died before 3 committed: nothing happened and the batch is applied afresh.
 * Died after 3, before 5: the requests are found in the idempotency records and their stored results
 * are published again with {@code duplicate: true}; nothing is applied twice, nothing is lost, but a
 * result may be published more than once (at least once). The same recovery runs in-process when a
 * publish or a commit fails: the consumer is rewound to the committed offsets.
 *
 * <p>Threads: everything runs on the thread that calls {@link #run()}, including the rebalance
 * callbacks (Kafka calls them inside poll); {@link #stop()} may be called from any thread.
 */
public final class Worker implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Worker.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final Consumer<byte[], byte[]> consumer;
    private final Producer<byte[], byte[]> producer;
    private final Topics topics;
    private final WorkerOptions options;
    private final ShardOpener shardOpener;
    private final RequestDecoder decoder;
    private final EventEncoder encoder = new EventEncoder();
    private final DeadLetters deadLetters;
    private final Map<Integer, ShardStore> shards = new TreeMap<>();
    private final Map<Integer, PartitionMerger> mergers = new HashMap<>();
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile Set<Integer> owned = Set.of();
    private Duration backoff = Duration.ZERO;

    public Worker(Consumer<byte[], byte[]> consumer, Producer<byte[], byte[]> producer, Topics topics,
            WorkerOptions options, ShardOpener shardOpener, EarningRules rules) {
        this.consumer = consumer;
        this.producer = producer;
        this.topics = topics;
        this.options = options;
        this.shardOpener = shardOpener;
        this.decoder = new RequestDecoder(rules);
        this.deadLetters = new DeadLetters(topics.dlq());
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(topics.requestTopics(), new Rebalance());
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

    private void pollOnce() {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(nextPollTimeout());
        long arrived = System.nanoTime();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            PartitionMerger merger = mergers.get(record.partition());
            if (merger != null) {
                merger.add(typeOf(record.topic()), record, arrived);
            }
        }
        Map<Integer, List<PartitionMerger.Typed>> ready = drainReady(System.nanoTime());
        if (ready.isEmpty()) {
            return;
        }
        try {
            processBatch(ready);
            backoff = Duration.ZERO;
        } catch (StoreException | KafkaException | PublishFailedException e) {
            log.error("batch failed, rewinding to the committed offsets to retry: {}", e.toString(), e);
            rewindToCommitted();
            pause();
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

    private void processBatch(Map<Integer, List<PartitionMerger.Typed>> ready) {
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (Map.Entry<Integer, List<PartitionMerger.Typed>> partition : ready.entrySet()) {
            List<ProducerRecord<byte[], byte[]>> out = applyPartition(partition.getKey(), partition.getValue());
            for (ProducerRecord<byte[], byte[]> record : out) {
                sends.add(producer.send(record));
            }
            for (PartitionMerger.Typed typed : partition.getValue()) {
                ConsumerRecord<byte[], byte[]> record = typed.record();
                offsets.put(new TopicPartition(record.topic(), record.partition()),
                        new OffsetAndMetadata(record.offset() + 1));
            }
        }
        producer.flush();
        for (Future<RecordMetadata> send : sends) {
            awaitSend(send);
        }
        consumer.commitSync(offsets);
    }

    /** Applies one partition's records in one SQLite transaction; returns what to publish, in order. */
    private List<ProducerRecord<byte[], byte[]>> applyPartition(int partition, List<PartitionMerger.Typed> records) {
        List<Request> requests = new ArrayList<>(records.size());
        List<Object> decoded = new ArrayList<>(records.size());
        for (PartitionMerger.Typed typed : records) {
            Decoded result = decodeSafely(typed);
            decoded.add(result);
            if (result instanceof Decoded.Readable readable) {
                requests.add(readable.request());
            }
        }
        List<Outcome> outcomes = shards.get(partition).apply(requests);
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>(records.size() * 2);
        int next = 0;
        for (int i = 0; i < records.size(); i++) {
            ConsumerRecord<byte[], byte[]> record = records.get(i).record();
            if (decoded.get(i) instanceof Decoded.Unreadable unreadable) {
                log.warn("dead-lettering {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                        unreadable.reason());
                out.add(deadLetters.of(record, unreadable.reason()));
                continue;
            }
            Outcome outcome = outcomes.get(next++);
            byte[] key = outcome.result().userId() != null
                    ? outcome.result().userId().getBytes(StandardCharsets.UTF_8)
                    : record.key();
            out.add(new ProducerRecord<>(topics.results(), key, encoder.result(outcome.result())));
            outcome.balanceChange().ifPresent(change ->
                    out.add(new ProducerRecord<>(topics.balanceChanged(), key, encoder.balanceChange(change))));
        }
        return out;
    }

    private Decoded decodeSafely(PartitionMerger.Typed typed) {
        ConsumerRecord<byte[], byte[]> record = typed.record();
        try {
            return decoder.decode(typed.type(), record.key(), record.value());
        } catch (RuntimeException e) {
            // A decoder bug must not stop the worker or lose the record: it is kept in the DLQ.
            log.error("decoder failed on {}-{}@{}", record.topic(), record.partition(), record.offset(), e);
            return new Decoded.Unreadable("internal error while decoding: " + e);
        }
    }

    private static void awaitSend(Future<RecordMetadata> send) {
        try {
            send.get();
        } catch (ExecutionException e) {
            throw new PublishFailedException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishFailedException(e);
        }
    }

    private void rewindToCommitted() {
        Set<TopicPartition> assigned = consumer.assignment();
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(assigned);
            for (TopicPartition partition : assigned) {
                OffsetAndMetadata offset = committed.get(partition);
                if (offset == null) {
                    consumer.seekToBeginning(List.of(partition));
                } else {
                    consumer.seek(partition, offset);
                }
            }
        } catch (KafkaException e) {
            log.error("cannot read committed offsets; will retry: {}", e.toString());
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

    private void closeAll() {
        shards.keySet().forEach(this::closeShardQuietly);
        shards.clear();
        mergers.clear();
        owned = Set.of();
        try {
            consumer.close();
        } finally {
            producer.close();
        }
    }

    private void closeShardQuietly(int partition) {
        try {
            shards.get(partition).close();
        } catch (StoreException e) {
            log.warn("closing shard {}: {}", partition, e.getMessage());
        }
    }

    /** The partitions whose shard is open here. */
    public Set<Integer> ownedPartitions() {
        return owned;
    }

    /**
     * Opens a shard when this worker holds partition p of both request topics, and closes it when
     * either goes. A lone topic-partition is paused, never applied: the user's balance lives in one
     * shard, and a worker that held only half of the partition could not merge the two topics in order.
     */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            for (int partition : partitionNumbers(partitions)) {
                PartitionMerger merger = mergers.remove(partition);
                if (merger != null) {
                    // Not applied, so not committed: whoever owns the partition next reads them again.
                    merger.clear();
                }
                if (shards.containsKey(partition)) {
                    closeShardQuietly(partition);
                    shards.remove(partition);
                }
            }
            owned = Set.copyOf(shards.keySet());
            log.info("partitions revoked: {}", partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            Set<TopicPartition> assignment = consumer.assignment();
            List<TopicPartition> lone = new ArrayList<>();
            for (int partition : partitionNumbers(assignment)) {
                TopicPartition earn = new TopicPartition(topics.earnRequests(), partition);
                TopicPartition spend = new TopicPartition(topics.spendRequests(), partition);
                if (assignment.contains(earn) && assignment.contains(spend)) {
                    if (!shards.containsKey(partition)) {
                        shards.put(partition, shardOpener.open(partition));
                        mergers.put(partition, new PartitionMerger(options.mergeMaxWait().toNanos()));
                    }
                } else {
                    lone.add(assignment.contains(earn) ? earn : spend);
                }
            }
            if (!lone.isEmpty()) {
                log.error("assigned {} without the same partition of the other request topic: paused. "
                        + "Both request topics must have the same partition count.", lone);
                consumer.pause(lone);
            }
            owned = Set.copyOf(shards.keySet());
            log.info("partitions assigned: {}; shards open: {}", partitions, shards.keySet());
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            onPartitionsRevoked(partitions);
        }

        private Set<Integer> partitionNumbers(Collection<TopicPartition> partitions) {
            Set<Integer> numbers = new HashSet<>();
            partitions.forEach(p -> numbers.add(p.partition()));
            return numbers;
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
