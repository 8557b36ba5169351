package dev.economyengine.messaging;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Builds the dead-letter copy of a record that cannot be read: original key, value and headers byte
 * for byte, plus headers saying why and where it came from.
 */
final class DeadLetters {
    static final String REASON = "economy.dlq.reason";
    static final String TOPIC = "economy.dlq.topic";
    static final String PARTITION = "economy.dlq.partition";
    static final String OFFSET = "economy.dlq.offset";

    private final String dlqTopic;

    DeadLetters(String dlqTopic) {
        this.dlqTopic = dlqTopic;
    }

    ProducerRecord<byte[], byte[]> of(ConsumerRecord<byte[], byte[]> original, String reason) {
        RecordHeaders headers = new RecordHeaders();
        for (Header header : original.headers()) {
            headers.add(header);
        }
        headers.add(REASON, utf8(reason));
        headers.add(TOPIC, utf8(original.topic()));
        headers.add(PARTITION, utf8(Integer.toString(original.partition())));
        headers.add(OFFSET, utf8(Long.toString(original.offset())));
        return new ProducerRecord<>(dlqTopic, null, original.key(), original.value(), headers);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
