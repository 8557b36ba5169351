package dev.economyengine.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.economyengine.ledger.Request;
import dev.economyengine.ledger.RequestType;
import dev.economyengine.ledger.ResultCode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Where a request record is handled: here, forwarded to its user's partition, or dead-lettered. */
class RequestRouterTest {
    private static final int PARTITIONS = 4;
    private static final String TOPIC = "economy.spend.requests";
    private static final String ALICE = "alice";
    private static final int HOME = OwnedShards.partitionOf(ALICE, PARTITIONS);
    private static final int ELSEWHERE = (HOME + 1) % PARTITIONS;
    private static final long TIMESTAMP = 1_700_000_000_123L;
    // Not JSON, not even UTF-8: the copy must carry the value byte for byte.
    private static final byte[] VALUE = {'{', (byte) 0xFF, 0, '}'};
    private static final Request SPEND = new Request.Spend("r-1", ALICE, 5, null, null);

    private final RequestRouter router = new RequestRouter(PARTITIONS);

    @ParameterizedTest(name = "key <{0}>")
    @NullSource
    @ValueSource(strings = {"alice", "bob", "", "Alice"})
    void request_inItsUsersPartition_isAppliedHere_whateverItsKey(String key) {
        ConsumerRecord<byte[], byte[]> record = record(HOME, 7, key == null ? null : utf8(key), new RecordHeaders());

        RequestRouter.Route route = router.route(record, new Decoded.Readable(SPEND));

        assertThat(route).isEqualTo(new RequestRouter.Apply(SPEND));
    }

    @ParameterizedTest(name = "key <{0}>")
    @NullSource
    @ValueSource(strings = {"alice", "bob"})
    void request_inAnotherPartition_isForwardedToItsUsersPartitionOfTheSameTopic_keyedByTheUserId(String key) {
        ConsumerRecord<byte[], byte[]> record =
                record(ELSEWHERE, 42, key == null ? null : utf8(key), new RecordHeaders());

        ProducerRecord<byte[], byte[]> copy = forwarded(router.route(record, new Decoded.Readable(SPEND)));

        assertThat(copy.topic()).isEqualTo(TOPIC);
        assertThat(copy.partition()).as("an explicit partition, not the producer's partitioner").isEqualTo(HOME);
        assertThat(copy.key()).containsExactly(utf8(ALICE));
    }

    @Test
    void forwardedCopy_keepsTheValueByteForByte_andTheRecordTimestamp() {
        ConsumerRecord<byte[], byte[]> record = record(ELSEWHERE, 42, null, new RecordHeaders());

        ProducerRecord<byte[], byte[]> copy = forwarded(router.route(record, new Decoded.Readable(SPEND)));

        assertThat(copy.value()).containsExactly(VALUE);
        assertThat(copy.timestamp()).isEqualTo(TIMESTAMP);
    }

    @Test
    void forwardedCopy_keepsTheOriginalHeadersInOrder_andAddsWhereItWasReadFromLast() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("traceparent", utf8("00-abc-def-01"));
        headers.add("retry", new byte[] {1});
        headers.add("retry", new byte[] {2});
        ConsumerRecord<byte[], byte[]> record = record(ELSEWHERE, 9_876_543_210L, null, headers);

        ProducerRecord<byte[], byte[]> copy = forwarded(router.route(record, new Decoded.Readable(SPEND)));

        List<Header> all = list(copy.headers());
        assertThat(all).extracting(Header::key)
                .containsExactly("traceparent", "retry", "retry", "economy.forwarded-from");
        assertThat(all.get(0).value()).containsExactly(utf8("00-abc-def-01"));
        assertThat(all.get(2).value()).containsExactly(2);
        assertThat(all.get(3).value()).containsExactly(utf8(TOPIC + "-" + ELSEWHERE + "@9876543210"));
        assertThat(list(record.headers())).as("the consumed record's headers are left alone").hasSize(3);
    }

    @Test
    void forwardedCopy_ofARecordWithoutTimestamp_isStampedWhenSent() {
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>(TOPIC, ELSEWHERE, 1, ConsumerRecord.NO_TIMESTAMP,
                TimestampType.NO_TIMESTAMP_TYPE, -1, VALUE.length, null, VALUE, new RecordHeaders(), Optional.empty());

        ProducerRecord<byte[], byte[]> copy = forwarded(router.route(record, new Decoded.Readable(SPEND)));

        assertThat(copy.timestamp()).isNull();
    }

    @Test
    void rejectedRequestWithAUser_inAnotherPartition_isForwarded_soItsResultIsStoredInTheUsersShard() {
        Request bad = new Request.Rejected("r-1", ALICE, RequestType.SPEND, null, ResultCode.INVALID_REQUEST,
                "amount is missing", null, null);

        RequestRouter.Route route = router.route(record(ELSEWHERE, 3, null, new RecordHeaders()), new Decoded.Readable(bad));

        assertThat(forwarded(route).partition()).isEqualTo(HOME);
    }

    @Test
    void rejectedRequestWithoutAUser_isAnsweredWhereItLanded() {
        Request noUser = new Request.Rejected("r-1", null, RequestType.SPEND, null, ResultCode.INVALID_REQUEST,
                "userId is missing", null, null);

        RequestRouter.Route route = router.route(record(ELSEWHERE, 3, null, new RecordHeaders()),
                new Decoded.Readable(noUser));

        assertThat(route).isEqualTo(new RequestRouter.Apply(noUser));
    }

    @Test
    void unreadableRecord_isDeadLetteredWhereItLanded_withTheDecodersReason() {
        RequestRouter.Route route = router.route(record(ELSEWHERE, 3, utf8(ALICE), new RecordHeaders()),
                new Decoded.Unreadable("not valid JSON: oops"));

        assertThat(route).isEqualTo(new RequestRouter.DeadLetter("not valid JSON: oops"));
    }

    @Test
    void forwardedCopy_thatLandsInAWrongPartitionAgain_isDeadLetteredNotForwardedTwice() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("economy.forwarded-from", utf8(TOPIC + "-" + HOME + "@17"));
        ConsumerRecord<byte[], byte[]> record = record(ELSEWHERE, 5, utf8(ALICE), headers);

        RequestRouter.Route route = router.route(record, new Decoded.Readable(SPEND));

        assertThat(route).isInstanceOf(RequestRouter.DeadLetter.class);
        assertThat(((RequestRouter.DeadLetter) route).reason())
                .contains("already forwarded from " + TOPIC + "-" + HOME + "@17")
                .contains("partition " + HOME + " of " + PARTITIONS)
                .contains("not forwarded twice");
    }

    @Test
    void forwardedCopy_inItsUsersPartition_isAppliedHere() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("economy.forwarded-from", utf8(TOPIC + "-" + ELSEWHERE + "@17"));

        RequestRouter.Route route = router.route(record(HOME, 5, utf8(ALICE), headers), new Decoded.Readable(SPEND));

        assertThat(route).isEqualTo(new RequestRouter.Apply(SPEND));
    }

    @ParameterizedTest(name = "user <{0}>")
    @ValueSource(strings = {"alice", "J\u00fcrgen-\uD83D\uDE00", "user-0", "user-1", "user-2", "user-3", "user-999"})
    void usersPartition_isTheOneKafkasDefaultPartitionerPicksForTheUtf8UserIdAsKey(String user) {
        int kafkaDefault = BuiltInPartitioner.partitionForKey(utf8(user), PARTITIONS);
        Request request = new Request.Spend("r-1", user, 5, null, null);

        RequestRouter.Route route = router.route(record(kafkaDefault, 1, null, new RecordHeaders()),
                new Decoded.Readable(request));

        assertThat(route).isEqualTo(new RequestRouter.Apply(request));
    }

    private static ProducerRecord<byte[], byte[]> forwarded(RequestRouter.Route route) {
        assertThat(route).isInstanceOf(RequestRouter.Forward.class);
        return ((RequestRouter.Forward) route).copy();
    }

    private static ConsumerRecord<byte[], byte[]> record(int partition, long offset, byte[] key, Headers headers) {
        return new ConsumerRecord<>(TOPIC, partition, offset, TIMESTAMP, TimestampType.CREATE_TIME,
                key == null ? -1 : key.length, VALUE.length, key, VALUE, headers, Optional.empty());
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
