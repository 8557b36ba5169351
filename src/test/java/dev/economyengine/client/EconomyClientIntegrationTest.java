package dev.economyengine.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.economyengine.app.EconomyEngine;
import dev.economyengine.testing.EconomyTestEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The client against a real broker and a real worker: every request answered with its own result. */
class EconomyClientIntegrationTest {
    private static final int PARTITIONS = 2;
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path workDir;

    private EconomyTestEnvironment environment;
    private EconomyEngine engine;
    private EconomyClient client;

    @BeforeEach
    void start() {
        environment = new EconomyTestEnvironment(workDir, PARTITIONS);
        engine = environment.startEngine();
        client = EconomyClient.builder(environment.bootstrapServers())
                .clientId("it-" + environment.groupId())
                .earnTopic(environment.topics().earnRequests())
                .spendTopic(environment.topics().spendRequests())
                .balanceChangedTopic(environment.topics().balanceChanged())
                // Generous: 5,000 requests on a shared machine must not end in a timeout.
                .attemptTimeout(Duration.ofSeconds(10))
                .deadline(Duration.ofMinutes(2))
                .build();
    }

    @AfterEach
    void stop() {
        client.close();
        engine.close();
    }

    @Test
    void earnThenSpend_areAnsweredWithTheirOwnResults() throws Exception {
        Result earned = answer(client.earn(new EarnRequest("e1", "alice", "game_completion", "match 981",
                Map.of("matchId", "m-981"))));
        Result spent = answer(client.spend(new SpendRequest("s1", "alice", 20, "coins", "sku:potion", null)));

        assertThat(earned.requestId()).isEqualTo("e1");
        assertThat(earned.type()).isEqualTo("EARN");
        assertThat(earned.accepted()).isTrue();
        assertThat(earned.amount()).isEqualTo(50);
        assertThat(earned.currency()).isEqualTo("coins");
        assertThat(earned.balance()).isEqualTo(50);
        assertThat(earned.duplicate()).isFalse();
        assertThat(earned.metadata().get("matchId").asText()).isEqualTo("m-981");
        assertThat(spent.requestId()).isEqualTo("s1");
        assertThat(spent.type()).isEqualTo("SPEND");
        assertThat(spent.code()).isEqualTo("OK");
        assertThat(spent.balance()).isEqualTo(30);
        assertThat(spent.transactionId()).isNotEqualTo(earned.transactionId());
        await().atMost(WAIT).until(() -> client.inFlight() == 0);
    }

    @ParameterizedTest(name = "a spend of {0} {1} is answered {2}")
    @CsvSource(nullValues = "none", value = {
        "1000, none, INSUFFICIENT_BALANCE",
        "5, gems, INSUFFICIENT_BALANCE",
        "5, diamonds, UNKNOWN_CURRENCY",
    })
    void rejectedSpend_isAnAnswer_withItsCode(long amount, String currency, String code) throws Exception {
        answer(client.earn("bob", "daily_login"));

        Result rejected = answer(client.spend("bob", amount, currency));

        assertThat(rejected.accepted()).isFalse();
        assertThat(rejected.status()).isEqualTo("REJECTED");
        assertThat(rejected.code()).isEqualTo(code);
        assertThat(rejected.message()).isNotBlank();
        assertThat(rejected.transactionId()).isNull();
        assertThat(rejected.amount()).isEqualTo(amount);
    }

    @Test
    void unknownAction_isAnswered_UNKNOWN_ACTION() throws Exception {
        assertThat(answer(client.earn("bob", "no_such_rule")).code()).isEqualTo("UNKNOWN_ACTION");
    }

    @Test
    void sameRequestIdTwice_isAnsweredTwice_theSecondAsTheDuplicateOfTheFirst() throws Exception {
        Result first = answer(client.earn(new EarnRequest("login-1", "carol", "daily_login", null, null)));
        Result second = answer(client.earn(new EarnRequest("login-1", "carol", "daily_login", null, null)));

        assertThat(first.duplicate()).isFalse();
        assertThat(second.duplicate()).isTrue();
        assertThat(second.transactionId()).isEqualTo(first.transactionId());
        assertThat(second.balance()).isEqualTo(first.balance()).isEqualTo(10);
        assertThat(second.processedAt()).isEqualTo(first.processedAt());
    }

    @Test
    void fiveThousandConcurrentFutures_onOneClient_areAllCompleted_eachWithItsOwnRequestsAnswer() throws Exception {
        int threads = 8;
        int perThread = 625;
        CountDownLatch startGate = new CountDownLatch(1);
        ExecutorService senders = Executors.newFixedThreadPool(threads);
        List<Future<List<Sent>>> sent = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            sent.add(senders.submit(() -> {
                startGate.await();
                List<Sent> mine = new ArrayList<>();
                for (int i = 0; i < perThread; i++) {
                    EarnRequest request = new EarnRequest("t" + thread + "-r" + i, "player-" + (i % 97), "daily_login",
                            null, null);
                    mine.add(new Sent(request, client.earn(request)));
                }
                return mine;
            }));
        }
        startGate.countDown();
        List<Sent> all = new ArrayList<>();
        for (Future<List<Sent>> batch : sent) {
            all.addAll(batch.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        }
        senders.shutdown();

        CompletableFuture.allOf(all.stream().map(Sent::answer).toArray(CompletableFuture[]::new))
                .get(3, TimeUnit.MINUTES);
        assertThat(all).hasSize(threads * perThread);
        for (Sent request : all) {
            Result result = request.answer().join();
            assertThat(result.requestId()).isEqualTo(request.request().requestId());
            assertThat(result.userId()).isEqualTo(request.request().userId());
            assertThat(result.accepted()).isTrue();
        }
        assertThat(client.inFlight()).isZero();
    }

    @Test
    void balanceSubscription_ofSomeUsers_seesTheirChanges_andNoOtherUsers() throws Exception {
        String neighbour = userInPartitionOf("alice");
        List<BalanceChange> seen = new CopyOnWriteArrayList<>();
        BalanceSubscription subscription = client.subscribeToBalanceChanges(Set.of("alice", "dave"), seen::add);
        answer(client.earn("erin", "daily_login"));
        answer(client.earn(neighbour, "daily_login"));
        answer(client.earn("alice", "daily_login"));
        answer(client.spend("alice", 4, null));
        answer(client.earn("dave", "game_win"));

        await().atMost(WAIT).until(() -> seen.stream().filter(c -> c.userId().equals("alice")).count() == 2
                && seen.stream().anyMatch(c -> c.userId().equals("dave")));
        subscription.close();

        // The neighbour's change came before alice's in her partition: read, and dropped.
        assertThat(seen).extracting(BalanceChange::userId).containsOnly("alice", "dave");
        assertThat(seen).filteredOn(c -> c.userId().equals("alice")).extracting(BalanceChange::delta)
                .containsExactly(10L, -4L);
        assertThat(seen).filteredOn(c -> c.userId().equals("alice")).extracting(BalanceChange::version)
                .containsExactly(1L, 2L);
    }

    @Test
    void balanceSubscription_ofAllUsers_seesEveryUsersChanges() throws Exception {
        Set<String> users = Set.of("u1", "u2", "u3", "u4", "u5");
        List<BalanceChange> seen = new CopyOnWriteArrayList<>();
        BalanceSubscription subscription = client.subscribeToAllBalanceChanges(seen::add);
        for (String user : users) {
            answer(client.earn(user, "daily_login"));
        }
        await().atMost(WAIT).until(() -> seen.size() >= users.size());
        subscription.close();

        assertThat(seen).extracting(BalanceChange::userId).containsExactlyInAnyOrderElementsOf(users);
    }

    /** A user other than {@code userId} whom the worker keeps in the same partition. */
    private static String userInPartitionOf(String userId) {
        int partition = UserPartitions.partitionOf(userId, PARTITIONS);
        for (int i = 0; ; i++) {
            if (UserPartitions.partitionOf("neighbour-" + i, PARTITIONS) == partition) {
                return "neighbour-" + i;
            }
        }
    }

    private static Result answer(CompletableFuture<Result> future) throws Exception {
        return future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private record Sent(EarnRequest request, CompletableFuture<Result> answer) {}
}
