package dev.economyengine.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class DeadLettersTest {

    private static final String DLQ = "ops.economy.dead-letters";
    private static final byte[] KEY = "alice".getBytes(StandardCharsets.UTF_8);
    // Not UTF-8 at all: the value must come through byte for byte.
    private static final byte[] VALUE = {'{', (byte) 0xFF, (byte) 0xC0, (byte) 0xAF, 0, '}'};

    private final DeadLetters deadLetters = new DeadLetters(DLQ);

    @Test
    void deadLetter_goesToTheConfiguredTopicWithKeyAndValueByteForByte() {
        ConsumerRecord<byte[], byte[]> original = record("economy.spend.requests", 3, 42, KEY, VALUE, new RecordHeaders());

        ProducerRecord<byte[], byte[]> dead = deadLetters.of(original, "not valid JSON");

        assertThat(dead.topic()).isEqualTo(DLQ);
        assertThat(dead.key()).containsExactly(KEY);
        assertThat(dead.value()).containsExactly(VALUE);
    }

    @Test
    void deadLetter_keepsTheOriginalHeadersFirstAndInOrder() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("traceparent", utf8("00-abc-def-01"));
        headers.add("retry", new byte[] {1});
        headers.add("retry", new byte[] {2});
        headers.add("empty", new byte[0]);
        ConsumerRecord<byte[], byte[]> original = record("economy.earn.requests", 0, 7, KEY, VALUE, headers);

        ProducerRecord<byte[], byte[]> dead = deadLetters.of(original, "requestId is missing");

        List<Header> all = list(dead.headers());
        assertThat(all).hasSize(8);
        assertThat(all.subList(0, 4)).extracting(Header::key).containsExactly("traceparent", "retry", "retry", "empty");
        assertThat(all.get(0).value()).containsExactly(utf8("00-abc-def-01"));
        assertThat(all.get(1).value()).containsExactly(1);
        assertThat(all.get(2).value()).containsExactly(2);
        assertThat(all.get(3).value()).isEmpty();
    }

    @Test
    void deadLetter_addsReasonTopicPartitionAndOffsetHeadersInUtf8() {
        ConsumerRecord<byte[], byte[]> original =
                record("economy.spend.requests", 3, 9_876_543_210L, KEY, VALUE, new RecordHeaders());
        String reason = "requestId must be 1 to 128 characters \u2014 \u00fc \uD83D\uDE00";

        ProducerRecord<byte[], byte[]> dead = deadLetters.of(original, reason);

        assertThat(value(dead.headers(), "economy.dlq.reason")).isEqualTo(reason);
        assertThat(value(dead.headers(), "economy.dlq.topic")).isEqualTo("economy.spend.requests");
        assertThat(value(dead.headers(), "economy.dlq.partition")).isEqualTo("3");
        assertThat(value(dead.headers(), "economy.dlq.offset")).isEqualTo("9876543210");
        assertThat(dead.headers().lastHeader("economy.dlq.reason").value()).containsExactly(utf8(reason));
    }

    @Test
    void deadLetter_headerNames_areTheDocumentedOnes() {
        ConsumerRecord<byte[], byte[]> original = record("t", 1, 2, KEY, VALUE, new RecordHeaders());

        ProducerRecord<byte[], byte[]> dead = deadLetters.of(original, "why");

        assertThat(list(dead.headers())).extracting(Header::key).containsExactly(
                "economy.dlq.reason", "economy.dlq.topic", "economy.dlq.partition", "economy.dlq.offset");
    }

    @Test
    void deadLetter_ofATombstone_keepsTheNullValueAndKey() {
        ConsumerRecord<byte[], byte[]> original = record("economy.earn.requests", 0, 0, null, null, new RecordHeaders());

        ProducerRecord<byte[], byte[]> dead = deadLetters.of(original, "record has no value");

        assertThat(dead.key()).isNull();
        assertThat(dead.value()).isNull();
        assertThat(value(dead.headers(), "economy.dlq.offset")).isEqualTo("0");
        assertThat(value(dead.headers(), "economy.dlq.partition")).isEqualTo("0");
    }

    @Test
    void deadLetter_leavesThePartitionToTheProducer() {
        ConsumerRecord<byte[], byte[]> original = record("economy.spend.requests", 11, 5, KEY, VALUE, new RecordHeaders());

        ProducerRecord<byte[], byte[]> dead = deadLetters.of(original, "why");

        // The DLQ need not have as many partitions as the request topic.
        assertThat(dead.partition()).isNull();
    }

    @Test
    void deadLetter_doesNotChangeTheOriginalRecordsHeaders() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("traceparent", utf8("x"));
        ConsumerRecord<byte[], byte[]> original = record("economy.spend.requests", 0, 5, KEY, VALUE, headers);

        deadLetters.of(original, "why");

        assertThat(list(original.headers())).extracting(Header::key).containsExactly("traceparent");
    }

    @Test
    void deadLetter_withAnOriginalHeaderNamedLikeADlqHeader_keepsBothAndTheNewOneIsLast() {
        // A record dead-lettered, replayed by an operator and dead-lettered again.
        RecordHeaders headers = new RecordHeaders();
        headers.add("economy.dlq.reason", utf8("first time"));
        ConsumerRecord<byte[], byte[]> original = record("economy.spend.requests", 0, 5, KEY, VALUE, headers);

        ProducerRecord<byte[], byte[]> dead = deadLetters.of(original, "second time");

        List<String> reasons = new ArrayList<>();
        dead.headers().headers("economy.dlq.reason").forEach(h -> reasons.add(new String(h.value(), StandardCharsets.UTF_8)));
        assertThat(reasons).containsExactly("first time", "second time");
        assertThat(value(dead.headers(), "economy.dlq.reason")).isEqualTo("second time");
    }

    private static ConsumerRecord<byte[], byte[]> record(String topic, int partition, long offset, byte[] key,
            byte[] value, Headers headers) {
        return new ConsumerRecord<>(topic, partition, offset, 1_700_000_000_000L, TimestampType.CREATE_TIME,
                key == null ? -1 : key.length, value == null ? -1 : value.length, key, value, headers, Optional.empty());
    }

    private static String value(Headers headers, String key) {
        Header header = headers.lastHeader(key);
        assertThat(header).as("header %s", key).isNotNull();
        return new String(header.value(), StandardCharsets.UTF_8);
    }

    private static List<Header> list(Headers headers) {
        List<Header> all = new ArrayList<>();
        headers.forEach(all::add);
        return all;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
