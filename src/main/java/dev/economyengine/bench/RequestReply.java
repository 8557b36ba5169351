package dev.economyengine.bench;

import dev.economyengine.client.EarnRequest;
import dev.economyengine.client.EconomyClient;
import dev.economyengine.client.Result;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * {@code bench --request-reply}: the round trip of a spend through each way a game service can ask, at
 * one paced rate, in one run against one worker: the plain Kafka path (publish the request, see its
 * result on the results topic), the Java client ({@link EconomyClient}, answered on its reply topic)
 * and an HTTP write ({@code POST /v1/users/{userId}/spend}, answered in the response). The users are
 * credited first, so that the spends are accepted as a shop's mostly are.
 */
final class RequestReply {
    /** The spending users, each credited once before the measurements. */
    static final int USERS = 10_000;
    private static final Duration CREDIT_TIMEOUT = Duration.ofMinutes(2);
    private static final String HTTP_WAIT_MILLIS = "5000";
    /**
     * At most this many HTTP writes in flight, each on a connection of its own (HTTP/1.1): a machine
     * that falls behind the rate would otherwise open connections until it runs out of file handles. A
     * request waiting for one is late, and its latency counts the wait.
     */
    static final int MAX_HTTP_IN_FLIGHT = 256;

    private RequestReply() {}

    /** One path's figures. */
    record Path(String name, String description, LatencyProbe.Figures figures) {}

    static RequestReplyReport run(BenchWorld world, BenchOptions options, String writeToken, PrintStream progress,
            RunningEngine.Starter engines) throws Exception {
        double loadAtStart = ProcessCpu.loadAverage();
        int rate = options.latencyRate();
        List<Path> paths = new ArrayList<>();
        try (WorkerUnderTest worker = new WorkerUnderTest(world, engines)) {
            worker.start();
            CpuSplit.Meters meters = new CpuSplit.Meters(worker.cpu(), world.brokerCpu());
            try (EconomyClient client = EconomyClient.builder(world.bootstrapServers())
                    .properties(world.engineConfig().kafka())
                    .earnTopic(world.topics().earnRequests())
                    .spendTopic(world.topics().spendRequests())
                    .clientId(world.name("client"))
                    // No resend within a measurement: a resent request's duplicate result would be
                    // counted by the plain path's reader of the results topic.
                    .attemptTimeout(CREDIT_TIMEOUT)
                    .deadline(CREDIT_TIMEOUT)
                    .build()) {
                progress.printf("1/4 crediting %,d users through the client%n", USERS);
                credit(client);

                progress.printf("2/4 plain Kafka: spends published, results read from %s, at %,d requests/s for %d s,"
                        + " after a warm-up at that rate until the JIT settles (at most %d s)%n",
                        world.topics().results(), rate, options.latencySeconds(), options.latencyWarmupSeconds());
                LatencyProbe.Figures plain = LatencyProbe.run(world, world.workerRoute(), Spends::of,
                        pace("k-", options), meters);
                paths.add(new Path("kafka", "publish, read the results topic", plain));
                progress.println("    " + summary(plain));

                progress.printf("3/4 the Java client: spend(...) answered on its reply topic %s%n", client.replyTopic());
                LatencyProbe.Figures viaClient = PacedRoundTrips.run(pace("c-", options), i -> {
                    RequestMix.RequestRecord spend = Spends.of("c-" + i);
                    return client.relaySpend(spend.userId(), spend.requestId(), spend.value());
                }, meters);
                paths.add(new Path("client", "EconomyClient.spend, reply topic", viaClient));
                progress.println("    " + summary(viaClient));
            }

            progress.printf("4/4 HTTP: POST %s/v1/users/{userId}/spend?wait=%s%n", worker.httpUrl(), HTTP_WAIT_MILLIS);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String base = worker.httpUrl();
            Semaphore connections = new Semaphore(MAX_HTTP_IN_FLIGHT);
            LatencyProbe.Figures viaHttp = PacedRoundTrips.run(pace("h-", options), i -> {
                RequestMix.RequestRecord spend = Spends.of("h-" + i);
                connections.acquireUninterruptibly();
                HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/v1/users/"
                                + URLEncoder.encode(spend.userId(), StandardCharsets.UTF_8) + "/spend?wait="
                                + HTTP_WAIT_MILLIS))
                        .header("Authorization", "Bearer " + writeToken)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(spend.value()))
                        .build();
                return http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                        .whenComplete((response, error) -> connections.release())
                        .thenApply(response -> {
                            if (response.statusCode() != 200) {
                                throw new IllegalStateException("HTTP " + response.statusCode() + " for "
                                        + spend.requestId());
                            }
                            return response;
                        });
            }, meters);
            paths.add(new Path("http", "POST .../spend, answered in the response", viaHttp));
            progress.println("    " + summary(viaHttp));
        }
        return new RequestReplyReport(new RequestReplyReport.Context(Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), world.brokerKind(), world.partitions(), USERS, rate,
                options.latencySeconds(), options.latencyWarmupSeconds(), loadAtStart, ProcessCpu.loadAverage()),
                paths);
    }

    /** One earn per user, through the client, so that the spends that follow are accepted. */
    private static void credit(EconomyClient client) throws Exception {
        List<CompletableFuture<Result>> credits = new ArrayList<>(USERS);
        for (int user = 0; user < USERS; user++) {
            credits.add(client.earn(new EarnRequest("credit-" + user, Spends.userId(user), Spends.CREDIT_ACTION,
                    "bench credit", null)));
        }
        CompletableFuture.allOf(credits.toArray(CompletableFuture[]::new))
                .get(CREDIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        long accepted = credits.stream().filter(credit -> credit.join().accepted()).count();
        if (accepted < USERS) {
            throw new IllegalStateException("only " + accepted + " of " + USERS + " credits were accepted");
        }
    }

    private static LatencyProbe.Pace pace(String idPrefix, BenchOptions options) {
        return new LatencyProbe.Pace(idPrefix, options.latencyRate(), false, options.latencyWarmupSeconds(),
                options.latencySeconds());
    }

    static String summary(LatencyProbe.Figures figures) {
        return String.format(Locale.ROOT, "warm-up %d s; p50 %.1f ms, p99 %.1f ms, max %.1f ms",
                figures.warmupSeconds(), figures.p50Millis(), figures.p99Millis(), figures.maxMillis());
    }

    /** The spends of every path: one coin, by the credited users in turn. */
    static final class Spends {
        static final String CREDIT_ACTION = "game_win";

        private Spends() {}

        static String userId(int user) {
            return "rr-" + user;
        }

        static RequestMix.RequestRecord of(String requestId) {
            int number = Integer.parseInt(requestId.substring(requestId.indexOf('-') + 1));
            String userId = userId(number % USERS);
            String body = "{\"requestId\":\"" + requestId + "\",\"userId\":\"" + userId + "\",\"amount\":1}";
            return new RequestMix.RequestRecord(RequestMix.Kind.COIN_SPEND, userId, requestId,
                    body.getBytes(StandardCharsets.UTF_8));
        }
    }
}
