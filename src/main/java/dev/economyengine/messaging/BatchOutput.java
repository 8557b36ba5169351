package dev.economyengine.messaging;

import dev.economyengine.ledger.Outcome;
import dev.economyengine.ledger.Request;
import dev.economyengine.ledger.ResultCode;
import dev.economyengine.store.DecidedBatch;
import dev.economyengine.store.ShardStore;
import dev.economyengine.wire.EventEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One shard's share of a batch: decodes the records, decides the readable ones (written to the
 * shard once published), and lists what to publish in record order: a result per request (a dead letter per
 * unreadable record), a balance change per accepted request, and a changelog record per outcome that
 * the shard stores.
 */
final class BatchOutput {
    private static final Logger log = LoggerFactory.getLogger(BatchOutput.class);

    private final Topics topics;
    private final String changelogTopic;
    private final RequestDecoder decoder;
    private final EventEncoder events = new EventEncoder();
    private final ChangelogCodec changelog = new ChangelogCodec();
    private final DeadLetters deadLetters;

    private final int partitionCount;

    BatchOutput(Topics topics, String changelogTopic, RequestDecoder decoder, int partitionCount) {
        this.topics = topics;
        this.partitionCount = partitionCount;
        this.changelogTopic = changelogTopic;
        this.decoder = decoder;
        this.deadLetters = new DeadLetters(topics.dlq());
    }

    /** The shard's decided batch, the records to publish for it, and how many records were dead-lettered. */
    record Applied(DecidedBatch batch, List<ProducerRecord<byte[], byte[]>> events,
            List<ProducerRecord<byte[], byte[]>> changelog, int deadLetters) {

        List<Outcome> outcomes() {
            return batch.outcomes();
        }
    }

    Applied apply(int partition, ShardStore shard, List<PartitionMerger.Typed> records) {
        List<Decoded> decoded = new ArrayList<>(records.size());
        List<Request> requests = new ArrayList<>(records.size());
        for (PartitionMerger.Typed typed : records) {
            Decoded result = decodeSafely(typed);
            decoded.add(result);
            if (result instanceof Decoded.Readable readable) {
                requests.add(readable.request());
            }
        }
        DecidedBatch batch = shard.decide(requests);
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>(records.size() * 2);
        List<ProducerRecord<byte[], byte[]>> changes = new ArrayList<>(records.size());
        int next = 0;
        int deadLettered = 0;
        for (int i = 0; i < records.size(); i++) {
            ConsumerRecord<byte[], byte[]> record = records.get(i).record();
            if (decoded.get(i) instanceof Decoded.Unreadable unreadable) {
                log.warn("dead-lettering {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                        unreadable.reason());
                out.add(deadLetters.of(record, unreadable.reason()));
                deadLettered++;
                continue;
            }
            Outcome outcome = batch.outcomes().get(next++);
            String userId = outcome.result().userId();
            byte[] key = userId != null ? userId.getBytes(StandardCharsets.UTF_8) : record.key();
            out.add(new ProducerRecord<>(topics.results(), key, events.result(outcome.result())));
            outcome.balanceChange().ifPresent(change ->
                    out.add(new ProducerRecord<>(topics.balanceChanged(), key, events.balanceChange(change))));
            if (userId != null && !outcome.result().duplicate()) {
                // The shard's own partition, whatever partitioner the request's producer used.
                changes.add(new ProducerRecord<>(changelogTopic, partition, key, changelog.encode(outcome)));
            }
        }
        return new Applied(batch, out, changes, deadLettered);
    }

    /**
     * A user's balance lives in exactly one shard only if every producer puts the user's records in the
     * same partition of both topics. A record placed by another partitioner than Kafka's default
     * (murmur2 of the key, as the Java client does) would be applied against a second balance, so it is
     * rejected instead.
     */
    private Decoded placed(Decoded decoded, ConsumerRecord<byte[], byte[]> record) {
        if (!(decoded instanceof Decoded.Readable readable) || readable.request() instanceof Request.Rejected
                || record.key() == null) {
            return decoded;
        }
        int expected = Utils.toPositive(Utils.murmur2(record.key())) % partitionCount;
        if (expected == record.partition()) {
            return decoded;
        }
        Request request = readable.request();
        return new Decoded.Readable(new Request.Rejected(request.requestId(), request.userId(), request.type(),
                ResultCode.INVALID_REQUEST, "the record is in partition " + record.partition()
                        + " but Kafka's default partitioner puts this userId in partition " + expected
                        + "; publish with the default (murmur2) partitioner", null, request.metadataJson()));
    }

    private Decoded decodeSafely(PartitionMerger.Typed typed) {
        ConsumerRecord<byte[], byte[]> record = typed.record();
        try {
            return placed(decoder.decode(typed.type(), record.key(), record.value()), record);
        } catch (RuntimeException e) {
            // A decoder bug must not stop the worker or lose the record: it is kept in the DLQ.
            log.error("decoder failed on {}-{}@{}", record.topic(), record.partition(), record.offset(), e);
            return new Decoded.Unreadable("internal error while decoding: " + e);
        }
    }
}
