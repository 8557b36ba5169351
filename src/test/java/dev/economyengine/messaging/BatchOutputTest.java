package dev.economyengine.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.economyengine.client.ReplyHeaders;
import dev.economyengine.ledger.EarningRule;
import dev.economyengine.ledger.Economy;
import dev.economyengine.ledger.RequestType;
import dev.economyengine.store.ShardStore;
import dev.economyengine.store.StoreOptions;
import dev.economyengine.testing.Json;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One shard's share of a batch, against a real shard file: what is decided here and what is published,
 * in record order. Nothing is sent; the worker sends {@code events} and {@code changelog} in its
 * Kafka transaction.
 */
class BatchOutputTest {
    private static final int PARTITIONS = 4;
    private static final Topics TOPICS = Topics.DEFAULTS;
    private static final Economy RULES =
            Economy.coinsOnly(List.of(new EarningRule("daily_login", 10, BigDecimal.ONE)));

    @TempDir
    Path dir;

    /** The one reply topic there is, of two partitions. */
    private static final String REPLIES = "economy.replies.shop";

    private final BatchOutput output = new BatchOutput(TOPICS, TOPICS.changelog(), new RequestDecoder(RULES), PARTITIONS,
            new ReplyTargets(TOPICS.all(), WorkerOptions.DEFAULT_REPLY_TOPIC_PATTERN, BatchOutputTest::onlyReplies,
                    Ticker.systemTicker()));
    private final String here = userIn(0);
    private final String elsewhere = userIn(1);
    private ShardStore shard;
    private long nextOffset;

    @BeforeEach
    void openShard() {
        shard = ShardStore.open(dir.resolve("shard-0.db"), 0, StoreOptions.defaults());
    }

    @AfterEach
    void closeShard() {
        shard.close();
    }

    @Test
    void misplacedRequest_isForwardedInRecordOrder_withNoResultBalanceChangeOrChangelogHere() {
        List<PartitionMerger.Typed> records = List.of(
                earn("e1", here, null),
                earn("e2", elsewhere, elsewhere),
                earn("e3", here, "someone-else"));

        BatchOutput.Applied applied = output.apply(0, shard, records);

        assertThat(applied.outcomes()).extracting(o -> o.result().requestId()).containsExactly("e1", "e3");
        assertThat(applied.events()).extracting(ProducerRecord::topic).containsExactly(
                TOPICS.results(), TOPICS.balanceChanged(), TOPICS.earnRequests(), TOPICS.results(),
                TOPICS.balanceChanged());
        ProducerRecord<byte[], byte[]> copy = applied.events().get(2);
        assertThat(copy.partition()).isEqualTo(1);
        assertThat(copy.value()).isEqualTo(records.get(1).record().value());
        assertThat(applied.forwards()).containsExactly(copy);
        assertThat(applied.changelog()).extracting(c -> Json.parse(c.value()).get("requestId").asText())
                .containsExactly("e1", "e3");
        assertThat(applied.deadLetters()).isZero();
    }

    @Test
    void requestInTheRightPartition_isAppliedWhateverItsKey_andItsEventsAreKeyedByTheUserId() {
        BatchOutput.Applied applied = output.apply(0, shard, List.of(earn("e1", here, null), earn("e2", here, "x")));

        assertThat(applied.outcomes()).allSatisfy(o -> assertThat(o.result().isAccepted()).isTrue());
        assertThat(applied.events()).allSatisfy(e -> assertThat(e.key()).isEqualTo(utf8(here)));
        assertThat(applied.forwards()).isEmpty();
    }

    @Test
    void misplacedRequestRejectedForABadField_isForwardedToo_notAnsweredHere() {
        PartitionMerger.Typed unknownAction = typed(RequestType.EARN, elsewhere,
                "{\"requestId\":\"u1\",\"userId\":\"" + elsewhere + "\",\"action\":\"no_such_action\"}");

        BatchOutput.Applied applied = output.apply(0, shard, List.of(unknownAction));

        assertThat(applied.outcomes()).isEmpty();
        assertThat(applied.events()).extracting(ProducerRecord::topic).containsExactly(TOPICS.earnRequests());
        assertThat(applied.forwards()).hasSize(1);
    }

    @Test
    void forwardedCopyThatIsMisplacedAgain_isDeadLettered() {
        PartitionMerger.Typed twice = earn("e1", elsewhere, elsewhere);
        twice.record().headers().add(RequestRouter.FORWARDED_FROM, utf8(TOPICS.earnRequests() + "-2@0"));

        BatchOutput.Applied applied = output.apply(0, shard, List.of(twice));

        assertThat(applied.events()).extracting(ProducerRecord::topic).containsExactly(TOPICS.dlq());
        assertThat(applied.forwards()).isEmpty();
        assertThat(applied.deadLetters()).isEqualTo(1);
    }

    @Test
    void requestWithReplyHeaders_isAnsweredRightAfterItsResult_withTheSameKeyAndBytes_andItsCorrelationId() {
        PartitionMerger.Typed asking = earn("e1", here, null);
        asking.record().headers().add(ReplyHeaders.REPLY_TOPIC, utf8(REPLIES))
                .add(ReplyHeaders.REPLY_PARTITION, ReplyHeaders.encodePartition(1))
                .add(ReplyHeaders.CORRELATION_ID, new byte[] {7, 0, 7});

        BatchOutput.Applied applied = output.apply(0, shard, List.of(asking, earn("e2", here, null)));

        assertThat(applied.events()).extracting(ProducerRecord::topic).containsExactly(
                TOPICS.results(), REPLIES, TOPICS.balanceChanged(), TOPICS.results(), TOPICS.balanceChanged());
        ProducerRecord<byte[], byte[]> result = applied.events().get(0);
        ProducerRecord<byte[], byte[]> reply = applied.events().get(1);
        assertThat(reply.value()).isEqualTo(result.value());
        assertThat(reply.key()).isEqualTo(result.key());
        assertThat(reply.partition()).isEqualTo(1);
        assertThat(reply.headers().lastHeader(ReplyHeaders.CORRELATION_ID).value()).containsExactly(7, 0, 7);
        assertThat(applied.replies()).containsExactly(reply);
        assertThat(applied.refusedReplies()).isEmpty();
    }

    @Test
    void requestNamingAReplyTopicThatDoesNotExist_isRefusedItsReplyOnly() {
        PartitionMerger.Typed asking = earn("e1", here, null);
        asking.record().headers().add(ReplyHeaders.REPLY_TOPIC, utf8("economy.replies.gone"));

        BatchOutput.Applied applied = output.apply(0, shard, List.of(asking));

        assertThat(applied.events()).extracting(ProducerRecord::topic)
                .containsExactly(TOPICS.results(), TOPICS.balanceChanged());
        assertThat(applied.replies()).isEmpty();
        assertThat(applied.refusedReplies()).containsExactly(ReplyRefusal.MISSING_TOPIC);
    }

    @Test
    void unreadableOrForwardedRequestWithReplyHeaders_isNotAnsweredHere() {
        PartitionMerger.Typed unreadable = typed(RequestType.EARN, here, "not json");
        PartitionMerger.Typed misplaced = earn("e2", elsewhere, elsewhere);
        for (PartitionMerger.Typed typed : List.of(unreadable, misplaced)) {
            typed.record().headers().add(ReplyHeaders.REPLY_TOPIC, utf8(REPLIES));
        }

        BatchOutput.Applied applied = output.apply(0, shard, List.of(unreadable, misplaced));

        assertThat(applied.events()).extracting(ProducerRecord::topic)
                .containsExactly(TOPICS.dlq(), TOPICS.earnRequests());
        assertThat(applied.forwards().get(0).headers().lastHeader(ReplyHeaders.REPLY_TOPIC).value())
                .isEqualTo(utf8(REPLIES));
        assertThat(applied.replies()).isEmpty();
        assertThat(applied.refusedReplies()).isEmpty();
    }

    private static Map<String, ReplyTargets.TopicStatus> onlyReplies(Set<String> topics) {
        return topics.stream().collect(Collectors.toMap(topic -> topic, topic -> topic.equals(REPLIES)
                ? new ReplyTargets.Writable(2)
                : new ReplyTargets.Unwritable(ReplyRefusal.MISSING_TOPIC)));
    }

    private PartitionMerger.Typed earn(String requestId, String userId, String key) {
        return typed(RequestType.EARN, key,
                "{\"requestId\":\"" + requestId + "\",\"userId\":\"" + userId + "\",\"action\":\"daily_login\"}");
    }

    /** A record read from partition 0 of the request topic of its type. */
    private PartitionMerger.Typed typed(RequestType type, String key, String value) {
        String topic = type == RequestType.EARN ? TOPICS.earnRequests() : TOPICS.spendRequests();
        byte[] keyBytes = key == null ? null : utf8(key);
        return new PartitionMerger.Typed(type, new ConsumerRecord<>(topic, 0, nextOffset++, 1_700_000_000_000L,
                TimestampType.CREATE_TIME, keyBytes == null ? -1 : keyBytes.length, value.length(), keyBytes,
                utf8(value), new RecordHeaders(), Optional.empty()));
    }

    /** A user that Kafka's default partitioner puts in {@code partition}. */
    private static String userIn(int partition) {
        return IntStream.range(0, 1000).mapToObj(i -> "user-" + i)
                .filter(user -> OwnedShards.partitionOf(user, PARTITIONS) == partition)
                .findFirst().orElseThrow();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
