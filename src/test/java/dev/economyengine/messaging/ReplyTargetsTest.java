package dev.economyengine.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.economyengine.client.ReplyHeaders;
import dev.economyengine.messaging.ReplyTargets.Decision;
import dev.economyengine.messaging.ReplyTargets.Refused;
import dev.economyengine.messaging.ReplyTargets.Send;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/**
 * Which replies are sent and which refused, and when the brokers are asked: a topic's metadata is
 * looked up once per batch that needs it, kept a minute when the topic can be written and a few
 * seconds when not. The brokers are a map here; ReplyIntegrationTest asks real ones.
 */
class ReplyTargetsTest {
    private static final Topics OWN = Topics.DEFAULTS;

    private final AtomicLong nanos = new AtomicLong();
    private final Map<String, ReplyTargets.TopicStatus> brokers = new HashMap<>();
    private final List<Set<String>> lookups = new ArrayList<>();
    private final ReplyTargets targets = new ReplyTargets(OWN.all(), WorkerOptions.DEFAULT_REPLY_TOPIC_PATTERN,
            this::describe, nanos::get);

    @Test
    void requestWithoutReplyTopic_getsNoReply_andAsksNothing() {
        targets.lookUp(List.of(new RecordHeaders()));

        assertThat(targets.decide(new RecordHeaders())).isInstanceOf(ReplyTargets.NoReply.class);
        assertThat(lookups).isEmpty();
    }

    @Test
    void theReplyTopicsOfABatch_areLookedUpInOneCall_andThenCached() {
        brokers.put("economy.replies.a", new ReplyTargets.Writable(1));
        brokers.put("economy.replies.b", new ReplyTargets.Writable(1));

        targets.lookUp(List.of(asking("economy.replies.a"), asking("economy.replies.b"), asking("economy.replies.a")));
        Decision a = targets.decide(asking("economy.replies.a"));
        Decision b = targets.decide(asking("economy.replies.b"));
        targets.lookUp(List.of(asking("economy.replies.a")));
        targets.decide(asking("economy.replies.a"));

        assertThat(a).isInstanceOf(Send.class);
        assertThat(b).isInstanceOf(Send.class);
        assertThat(lookups).containsExactly(Set.of("economy.replies.a", "economy.replies.b"));
    }

    @Test
    void writableTopic_isLookedUpAgain_onlyAfterAMinute() {
        brokers.put("economy.replies.a", new ReplyTargets.Writable(1));
        targets.decide(asking("economy.replies.a"));

        nanos.addAndGet(ReplyTargets.WRITABLE_TTL.minusMillis(1).toNanos());
        targets.decide(asking("economy.replies.a"));
        assertThat(lookups).hasSize(1);

        nanos.addAndGet(Duration.ofMillis(1).toNanos());
        targets.decide(asking("economy.replies.a"));
        assertThat(lookups).hasSize(2);
    }

    @Test
    void missingTopic_isRefused_andGetsRepliesSoonAfterItIsCreated() {
        assertThat(targets.decide(asking("economy.replies.later")))
                .isEqualTo(new Refused("economy.replies.later", ReplyRefusal.MISSING_TOPIC));
        brokers.put("economy.replies.later", new ReplyTargets.Writable(1));

        nanos.addAndGet(ReplyTargets.REFUSED_TTL.minusMillis(1).toNanos());
        assertThat(targets.decide(asking("economy.replies.later"))).isInstanceOf(Refused.class);
        nanos.addAndGet(Duration.ofMillis(1).toNanos());
        assertThat(targets.decide(asking("economy.replies.later"))).isInstanceOf(Send.class);
    }

    @Test
    void forget_afterAFailedBatch_looksEveryTopicUpAgain() {
        brokers.put("economy.replies.a", new ReplyTargets.Writable(1));
        targets.decide(asking("economy.replies.a"));
        brokers.put("economy.replies.a", new ReplyTargets.Unwritable(ReplyRefusal.MISSING_TOPIC));

        targets.forget();

        assertThat(targets.decide(asking("economy.replies.a"))).isInstanceOf(Refused.class);
        assertThat(lookups).hasSize(2);
    }

    @Test
    void topicRefusedByItsName_isNeverLookedUp() {
        List<Headers> requests = new ArrayList<>(List.of(asking("shop.replies")));
        OWN.all().forEach(own -> requests.add(asking(own)));

        targets.lookUp(requests);
        List<ReplyRefusal> reasons = requests.stream()
                .map(headers -> ((Refused) targets.decide(headers)).reason()).toList();

        assertThat(reasons.get(0)).isEqualTo(ReplyRefusal.PATTERN);
        assertThat(reasons.subList(1, reasons.size())).containsOnly(ReplyRefusal.OWN_TOPIC);
        assertThat(lookups).isEmpty();
    }

    @Test
    void ownTopic_isRefused_evenWhenThePatternAllowsIt() {
        ReplyTargets anyTopic = new ReplyTargets(OWN.all(), Pattern.compile(".*"), this::describe,
                nanos::get);

        assertThat(anyTopic.decide(asking(OWN.results())))
                .isEqualTo(new Refused(OWN.results(), ReplyRefusal.OWN_TOPIC));
    }

    @Test
    void partition_isCheckedAgainstTheTopicsPartitions() {
        brokers.put("economy.replies.a", new ReplyTargets.Writable(3));

        assertThat(targets.decide(asking("economy.replies.a", ReplyHeaders.encodePartition(2))))
                .isInstanceOf(Send.class);
        for (byte[] bad : List.of(ReplyHeaders.encodePartition(3), ReplyHeaders.encodePartition(-1), new byte[2],
                new byte[8], new byte[0])) {
            assertThat(targets.decide(asking("economy.replies.a", bad)))
                    .isEqualTo(new Refused("economy.replies.a", ReplyRefusal.BAD_PARTITION));
        }
    }

    @Test
    void send_answersInTheGivenPartition_withTheCorrelationIdCopied() {
        brokers.put("economy.replies.a", new ReplyTargets.Writable(3));
        Headers headers = asking("economy.replies.a", ReplyHeaders.encodePartition(1));
        headers.add(ReplyHeaders.CORRELATION_ID, new byte[] {1, 2, 3});

        var answer = ((Send) targets.decide(headers)).answer(utf8("k"), utf8("v"));

        assertThat(answer.topic()).isEqualTo("economy.replies.a");
        assertThat(answer.partition()).isEqualTo(1);
        assertThat(answer.key()).isEqualTo(utf8("k"));
        assertThat(answer.value()).isEqualTo(utf8("v"));
        assertThat(answer.headers().toArray()).hasSize(1);
        assertThat(answer.headers().lastHeader(ReplyHeaders.CORRELATION_ID).value()).containsExactly(1, 2, 3);
        var withoutPartition = ((Send) targets.decide(asking("economy.replies.a"))).answer(utf8("k"), utf8("v"));
        assertThat(withoutPartition.partition()).isNull();
        assertThat(withoutPartition.headers().toArray()).isEmpty();
    }

    @Test
    void topicTheWorkerMayNotWrite_isNotAuthorized_andOneWithoutAnAnswerOnRightsIsTried() {
        Node broker = new Node(1, "localhost", 9092);
        List<TopicPartitionInfo> partitions = List.of(new TopicPartitionInfo(0, broker, List.of(broker), List.of(broker)));

        assertThat(ReplyTopicMetadata.status(description(partitions, Set.of(AclOperation.READ, AclOperation.DESCRIBE))))
                .isEqualTo(new ReplyTargets.Unwritable(ReplyRefusal.NOT_AUTHORIZED));
        assertThat(ReplyTopicMetadata.status(description(partitions, Set.of(AclOperation.WRITE))))
                .isEqualTo(new ReplyTargets.Writable(1));
        assertThat(ReplyTopicMetadata.status(description(partitions, null))).isEqualTo(new ReplyTargets.Writable(1));
    }

    private static TopicDescription description(List<TopicPartitionInfo> partitions, Set<AclOperation> allowed) {
        return new TopicDescription("economy.replies.a", false, partitions, allowed, Uuid.randomUuid());
    }

    private Map<String, ReplyTargets.TopicStatus> describe(Set<String> topics) {
        lookups.add(Set.copyOf(topics));
        Map<String, ReplyTargets.TopicStatus> statuses = new HashMap<>();
        topics.forEach(topic -> statuses.put(topic,
                brokers.getOrDefault(topic, new ReplyTargets.Unwritable(ReplyRefusal.MISSING_TOPIC))));
        return statuses;
    }

    private static Headers asking(String topic) {
        return new RecordHeaders().add(ReplyHeaders.REPLY_TOPIC, utf8(topic));
    }

    private static Headers asking(String topic, byte[] partition) {
        return asking(topic).add(ReplyHeaders.REPLY_PARTITION, partition);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
