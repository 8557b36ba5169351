package dev.economyengine.bench;

import dev.economyengine.messaging.ClientProperties;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Ceiling (a): Kafka's exactly-once consume-transform-produce loop with no ledger in it. It reads the
 * same request topics as the worker, with the worker's own consumer and producer properties (so the
 * same records per poll, and so per transaction), copies each record to the partition of the same
 * number of an output topic, and commits one transaction per poll with the consumed offsets and the
 * group metadata, read by a read_committed observer. Whatever the worker does beyond this is the
 * ledger's cost.
 *
 * <p>Run with three records out per record in (to three topics, as the worker writes a result, a
 * balance change and a changelog record per accepted request), it is the Kafka part of the worker's
 * work alone: the most a ledger that writes what this worker writes could reach, on this machine.
 */
final class PassthroughCeiling {
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    private PassthroughCeiling() {}

    /**
     * @param recordsPerSecond records in (requests) per second
     * @param recordsOut records written per record in
     */
    record Figures(double recordsPerSecond, long records, int recordsOut, long transactions, double seconds,
            long markers, ProcessCpu.Used cpu) {
        double recordsPerTransaction() {
            return (double) records / transactions;
        }
    }

    /**
     * Copies the {@code expected} records of the request topics, each to {@code recordsOut} topics, in a
     * consumer group of its own (so from the beginning of the request topics).
     */
    static Figures run(BenchWorld world, int expected, int recordsOut) throws InterruptedException {
        List<String> outputTopics = world.passthroughTopics().subList(0, recordsOut);
        String name = world.name(recordsOut == 1 ? "passthrough" : "passthrough-" + recordsOut);
        // Every copy of a record is in the same transaction as the first: when the first is visible, all are.
        try (OutputWatcher watcher = new OutputWatcher(world, outputTopics.get(0), true, expected,
                        OutputWatcher.Sink.NONE);
                KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(ClientProperties.consumer(
                        world.bootstrapServers(), name, world.engineConfig().consumerProperties()));
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(ClientProperties.producer(
                        world.bootstrapServers(), name, world.engineConfig().producerProperties()))) {
            producer.initTransactions();
            long[] assignedAt = {0};
            consumer.subscribe(world.topics().requestTopics(), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {}

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    assignedAt[0] = System.nanoTime();
                }
            });
            ProcessCpu.Reading before = ProcessCpu.read();
            long copied = 0;
            long transactions = 0;
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (copied < expected && System.nanoTime() < deadline) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
                if (!records.isEmpty()) {
                    copy(records, consumer, producer, outputTopics);
                    copied += records.count();
                    transactions++;
                }
            }
            long lastVisible = watcher.awaitAll(TIMEOUT);
            double seconds = (lastVisible - assignedAt[0]) / 1e9;
            return new Figures(expected / seconds, copied, recordsOut, transactions, seconds, watcher.markers(),
                    before.until(ProcessCpu.read()));
        }
    }

    /** Copies one poll's records to the output topics, in one transaction with their offsets. */
    static void copy(ConsumerRecords<byte[], byte[]> records, KafkaConsumer<byte[], byte[]> consumer,
            KafkaProducer<byte[], byte[]> producer, List<String> outputTopics) {
        producer.beginTransaction();
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        send(records, producer, outputTopics, offsets);
        producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
        producer.commitTransaction();
    }

    /**
     * Sends a copy of each record to each output topic, in the open transaction, and notes in
     * {@code offsets} the next offset to consume of each partition read.
     */
    static void send(ConsumerRecords<byte[], byte[]> records, KafkaProducer<byte[], byte[]> producer,
            List<String> outputTopics, Map<TopicPartition, OffsetAndMetadata> offsets) {
        for (ConsumerRecord<byte[], byte[]> record : records) {
            for (String outputTopic : outputTopics) {
                producer.send(new ProducerRecord<>(outputTopic, record.partition(), record.key(), record.value()));
            }
            offsets.put(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1));
        }
    }
}
