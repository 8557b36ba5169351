package dev.economyengine.client;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The headers by which a request asks for its result to be sent back to it, and by which the answer
 * is matched to the question. The names and encodings are Spring Kafka's ({@code KafkaHeaders}), so
 * that a Spring service's {@code ReplyingKafkaTemplate} gets its answers with no code of ours, and
 * the worker, this client and the worker's HTTP writes all speak this one protocol:
 * <ul>
 *   <li>{@value #REPLY_TOPIC}: the topic to answer on, UTF-8;
 *   <li>{@value #REPLY_PARTITION}: optional, the partition of that topic, a 4-byte big-endian int;
 *   <li>{@value #CORRELATION_ID}: any bytes, copied unchanged onto the answer.
 * </ul>
 */
public final class ReplyHeaders {
    public static final String REPLY_TOPIC = "kafka_replyTopic";
    public static final String REPLY_PARTITION = "kafka_replyPartition";
    public static final String CORRELATION_ID = "kafka_correlationId";

    private ReplyHeaders() {
    }

    public static byte[] encodePartition(int partition) {
        return ByteBuffer.allocate(Integer.BYTES).putInt(partition).array();
    }

    /**
     * The partition a {@value #REPLY_PARTITION} header's value encodes; empty when the value is not the
     * 4 bytes of an int (a malformed header, which is not the same as no header: see
     * {@link Headers#lastHeader}).
     */
    public static OptionalInt decodePartition(byte[] value) {
        return value == null || value.length != Integer.BYTES
                ? OptionalInt.empty()
                : OptionalInt.of(ByteBuffer.wrap(value).getInt());
    }

    /** The reply topic a request names, if it names one. */
    public static Optional<String> replyTopic(Headers headers) {
        Header header = headers.lastHeader(REPLY_TOPIC);
        return header == null || header.value() == null
                ? Optional.empty()
                : Optional.of(new String(header.value(), StandardCharsets.UTF_8));
    }

    /** The correlation id a record carries, if any. */
    public static Optional<byte[]> correlationId(Headers headers) {
        Header header = headers.lastHeader(CORRELATION_ID);
        return header == null || header.value() == null ? Optional.empty() : Optional.of(header.value());
    }
}
