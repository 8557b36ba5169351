package dev.economyengine.messaging;

import dev.economyengine.ledger.Request;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Decides where a decoded request record is handled. A user's balance, and the record of which of the
 * user's requests were applied, live in one shard: that of the partition Kafka's default partitioner
 * (murmur2 of the userId) picks. A producer with another partitioner (librdkafka's default, for one)
 * or another key can put a request in any partition. Such a request is forwarded: copied to its
 * user's partition of the same topic, in the Kafka transaction of the batch that consumed it, so that
 * the copy is published exactly when the original counts as consumed, and a batch that is retried
 * (after an abort) forwards again what its aborted attempt forwarded. The copy is then applied in its
 * user's shard, exactly once, like any request; copies of the records of one partition arrive in that
 * partition's order. Beyond choosing the partition, the record key does not matter.
 */
final class RequestRouter {
    /** Added to a forwarded copy: {@code <topic>-<partition>@<offset>} of the record it was read from. */
    static final String FORWARDED_FROM = "economy.forwarded-from";

    private final int partitionCount;

    RequestRouter(int partitionCount) {
        if (partitionCount < 1) {
            throw new IllegalArgumentException("partitionCount must be at least 1: " + partitionCount);
        }
        this.partitionCount = partitionCount;
    }

    /** What becomes of one request record. */
    sealed interface Route permits Apply, Forward, DeadLetter {}

    /** The record is in its user's partition (or names no user): the shard here decides it. */
    record Apply(Request request) implements Route {}

    /** The record belongs to another partition: {@code copy} goes there, nothing is answered here. */
    record Forward(ProducerRecord<byte[], byte[]> copy) implements Route {}

    /** The record cannot be handled: it goes to the dead-letter topic with the reason. */
    record DeadLetter(String reason) implements Route {}

    Route route(ConsumerRecord<byte[], byte[]> record, Decoded decoded) {
        if (decoded instanceof Decoded.Unreadable unreadable) {
            return new DeadLetter(unreadable.reason());
        }
        Request request = ((Decoded.Readable) decoded).request();
        if (request.userId() == null) {
            // A request rejected for its userId has no shard of its own: it is answered where it landed.
            return new Apply(request);
        }
        int home = OwnedShards.partitionOf(request.userId(), partitionCount);
        if (home == record.partition()) {
            return new Apply(request);
        }
        Header forwardedFrom = record.headers().lastHeader(FORWARDED_FROM);
        if (forwardedFrom != null) {
            // With a fixed partition count a copy lands at home; forwarding it again could go round forever.
            return new DeadLetter("already forwarded from " + new String(forwardedFrom.value(), StandardCharsets.UTF_8)
                    + ", yet still not in its userId's partition " + home + " of " + partitionCount
                    + "; not forwarded twice (did the topic's partition count change?)");
        }
        return new Forward(copy(record, request.userId(), home));
    }

    /** The original value, headers and timestamp, keyed by the userId, to an explicit partition. */
    private static ProducerRecord<byte[], byte[]> copy(ConsumerRecord<byte[], byte[]> record, String userId,
            int home) {
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        headers.add(FORWARDED_FROM, utf8(record.topic() + "-" + record.partition() + "@" + record.offset()));
        // The timestamp orders the copy against the user's requests on the other request topic (the
        // PartitionMerger); a record without one (an old message format) is stamped when sent.
        Long timestamp = record.timestamp() >= 0 ? record.timestamp() : null;
        return new ProducerRecord<>(record.topic(), home, timestamp, utf8(userId), record.value(), headers);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
