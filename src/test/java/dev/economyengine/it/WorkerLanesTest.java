package dev.economyengine.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.economyengine.app.EconomyEngine;
import dev.economyengine.http.ApiClient;
import dev.economyengine.testing.EconomyClient;
import dev.economyengine.testing.EconomyTestEnvironment;
import dev.economyengine.testing.LedgerAudit;
import dev.economyengine.testing.RequestLoad;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code worker.threads}: several poll loops in one process, each a member of the consumer group with
 * partitions, a transactional producer and shards of its own, behind one HTTP API.
 */
class WorkerLanesTest {
    private static final int PARTITIONS = 4;

    @TempDir
    Path workDir;

    @Test
    void twoLanes_splitThePartitions_andApplyEveryRequestExactlyOnce() throws Exception {
        EconomyTestEnvironment environment = new EconomyTestEnvironment(workDir, PARTITIONS)
                .with("ECONOMY_WORKER_THREADS", "2");
        RequestLoad load;
        try (EconomyClient kafka = new EconomyClient(environment); EconomyEngine engine = environment.startEngine()) {
            await().atMost(EconomyClient.TIMEOUT).until(() -> engine.readiness().ready()
                    && engine.ownedPartitions().size() == PARTITIONS);

            List<Set<Integer>> memberPartitions = memberPartitions(environment);
            assertThat(memberPartitions).as("two members, each with partition p of both request topics")
                    .hasSize(2).allSatisfy(partitions -> assertThat(partitions).hasSize(PARTITIONS / 2));
            assertThat(memberPartitions.stream().flatMap(Set::stream).collect(Collectors.toSet()))
                    .containsExactlyInAnyOrder(0, 1, 2, 3);

            load = new RequestLoad(kafka, 7, 40);
            load.send(300);
            var results = kafka.awaitResults(load.totalSent());
            var changes = kafka.balanceChanges();
            LedgerAudit.check(load.timesSent(), results, changes);

            // Every user answers on the one HTTP API, whichever lane holds the user's shard.
            Map<String, Long> replayed = LedgerAudit.replayedBalances(results);
            ApiClient api = new ApiClient(engine.httpUrl());
            for (Map.Entry<String, Long> user : replayed.entrySet()) {
                HttpResponse<String> response = api.get("/v1/users/" + user.getKey() + "/balance");
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(ApiClient.json(response).get("balance").asLong()).as(user.getKey()).isEqualTo(user.getValue());
            }
            String metrics = api.get("/metrics").body();
            for (int partition = 0; partition < PARTITIONS; partition++) {
                assertThat(metrics).as("lag of partition %d, whichever lane reads it", partition)
                        .contains("economy_consumer_lag{partition=\"" + partition + "\",topic=\""
                                + environment.topics().earnRequests() + "\"}");
            }
        }
        LedgerAudit.verifyShards(environment.dataDir());
    }

    @Test
    void fewerLanesAfterARestart_takeOverEveryShard_andCarryOn() {
        EconomyTestEnvironment environment = new EconomyTestEnvironment(workDir, PARTITIONS)
                .with("ECONOMY_WORKER_THREADS", "2");
        try (EconomyClient kafka = new EconomyClient(environment)) {
            RequestLoad load = new RequestLoad(kafka, 11, 20);
            try (EconomyEngine engine = environment.startEngine()) {
                await().atMost(EconomyClient.TIMEOUT).until(() -> engine.readiness().ready());
                load.send(100);
                kafka.awaitResults(load.totalSent());
            }
            environment.with("ECONOMY_WORKER_THREADS", "1");
            try (EconomyEngine engine = environment.startEngine()) {
                await().atMost(EconomyClient.TIMEOUT).until(() -> engine.readiness().ready()
                        && engine.ownedPartitions().size() == PARTITIONS);
                load.send(100);
                var results = kafka.awaitResults(load.totalSent());
                LedgerAudit.check(load.timesSent(), results, kafka.balanceChanges());
            }
        }
        LedgerAudit.verifyShards(environment.dataDir());
    }

    @Test
    void lanesWithStaticMembership_eachHaveAnInstanceIdOfTheirOwn() throws Exception {
        EconomyTestEnvironment environment = new EconomyTestEnvironment(workDir, PARTITIONS)
                .with("ECONOMY_WORKER_THREADS", "2")
                .with("ECONOMY_KAFKA_CONSUMER_GROUP_INSTANCE_ID", "worker-a");
        try (EconomyClient kafka = new EconomyClient(environment); EconomyEngine engine = environment.startEngine()) {
            await().atMost(EconomyClient.TIMEOUT).until(() -> engine.readiness().ready()
                    && engine.ownedPartitions().size() == PARTITIONS);

            try (Admin admin = Admin.create(Map.of("bootstrap.servers", environment.bootstrapServers()))) {
                ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(environment.groupId()))
                        .describedGroups().get(environment.groupId()).get();
                assertThat(group.members()).map(member -> member.groupInstanceId().orElse(null))
                        .containsExactlyInAnyOrder("worker-a", "worker-a-1");
            }
            RequestLoad load = new RequestLoad(kafka, 3, 20);
            load.send(60);
            LedgerAudit.check(load.timesSent(), kafka.awaitResults(load.totalSent()), kafka.balanceChanges());
            assertThat(engine.isRunning()).as("no lane was fenced by the other").isTrue();
        }
    }

    /** The request-topic partition numbers of each member of the group. */
    private static List<Set<Integer>> memberPartitions(EconomyTestEnvironment environment) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", environment.bootstrapServers()))) {
            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(environment.groupId()))
                    .describedGroups().get(environment.groupId()).get();
            return group.members().stream().map(MemberDescription::assignment)
                    .map(assignment -> assignment.topicPartitions().stream()
                            .map(TopicPartition::partition).collect(Collectors.toCollection(TreeSet::new)))
                    .map(partitions -> (Set<Integer>) partitions).toList();
        }
    }
}
