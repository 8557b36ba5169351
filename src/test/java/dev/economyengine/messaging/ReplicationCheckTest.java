package dev.economyengine.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.economyengine.testing.TestKafka;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.Test;

class ReplicationCheckTest {
    private static final List<Node> BROKERS = List.of(new Node(1, "a", 9092), new Node(2, "b", 9092), new Node(3, "c", 9092));

    @Test
    void aTopicIsExposedWhenAnyOfItsPartitionsHasOneReplica() {
        TopicDescription replicated = topic("results", 3, 3, 3);
        TopicDescription onePartitionAlone = topic("changelog", 3, 1, 3);
        TopicDescription single = topic("dlq", 1, 1);

        assertThat(ReplicationCheck.singleReplicaTopics(List.of(replicated, onePartitionAlone, single)))
                .containsExactly("changelog", "dlq");
    }

    @Test
    void twoReplicasOrMoreAreNotReported() {
        assertThat(ReplicationCheck.singleReplicaTopics(List.of(topic("results", 2, 2), topic("changelog", 3)))).isEmpty();
    }

    @Test
    void onSeveralBrokers_aWarningToReplicate_onOne_adviceToStopTheWorkersFirst() {
        List<String> exposed = List.of("economy.results", "economy.ledger-changelog");

        assertThat(ReplicationCheck.advice(exposed, 3)).hasValueSatisfying(advice -> {
            assertThat(advice.warning()).isTrue();
            assertThat(advice.message()).contains("[economy.results, economy.ledger-changelog]",
                    "replication factor 3 with min.insync.replicas=2");
        });
        assertThat(ReplicationCheck.advice(exposed, 1)).hasValueSatisfying(advice -> {
            assertThat(advice.warning()).isFalse();
            assertThat(advice.message()).contains("stop the workers before you stop the broker");
        });
        assertThat(ReplicationCheck.advice(List.of(), 3)).isEmpty();
    }

    @Test
    void againstARealBroker_theWrittenTopicsOfAOneNodeClusterAreReported() throws Exception {
        Topics topics = Topics.DEFAULTS;
        String prefix = "replication-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        Topics named = new Topics(prefix + topics.earnRequests(), prefix + topics.spendRequests(), prefix + topics.results(),
                prefix + topics.balanceChanged(), prefix + topics.dlq(), prefix + topics.changelog());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()))) {
            TopicSetup.ensure(admin, named, 2);

            assertThat(ReplicationCheck.reportSingleReplicaTopics(admin, named)).containsExactlyElementsOf(named.written());
        }
    }

    /** A topic with one partition per replica count given. */
    private static TopicDescription topic(String name, int... replicasPerPartition) {
        List<TopicPartitionInfo> partitions = IntStream.range(0, replicasPerPartition.length)
                .mapToObj(i -> {
                    List<Node> replicas = BROKERS.subList(0, replicasPerPartition[i]);
                    return new TopicPartitionInfo(i, replicas.get(0), replicas, replicas);
                })
                .toList();
        return new TopicDescription(name, false, partitions);
    }
}
