package dev.economyengine.app;

import dev.economyengine.client.EconomyClient;
import dev.economyengine.client.Result;
import dev.economyengine.config.EconomyConfig;
import dev.economyengine.http.RequestSubmitter;
import dev.economyengine.ledger.RequestType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The HTTP writes through the same {@link EconomyClient} a game service uses, one per worker process:
 * its reply topic, its resends of the same request id, its matching of answers to requests. A write not
 * answered within its wait is PENDING for the HTTP caller, while the client goes on resending it until
 * its own deadline, so that the request is decided even if the worker owning it was down at first.
 */
final class ClientRequestSubmitter implements RequestSubmitter, AutoCloseable {
    private static final Pattern NOT_IN_A_TOPIC_NAME = Pattern.compile("[^A-Za-z0-9._-]");

    private final EconomyClient client;

    ClientRequestSubmitter(EconomyClient client) {
        this.client = client;
    }

    /**
     * A client on the worker's cluster, with the worker's Kafka settings (security), its request topics,
     * and the reply topic {@code economy.replies.<transactional.id>-http}: the transactional id is stable
     * across restarts and unique in the group, so each worker process has a topic of its own, and the
     * same one after a restart.
     */
    static ClientRequestSubmitter start(EconomyConfig config, String bootstrapServers, String transactionalId) {
        String clientId = NOT_IN_A_TOPIC_NAME.matcher(transactionalId).replaceAll("_") + "-http";
        return new ClientRequestSubmitter(EconomyClient.builder(bootstrapServers)
                .properties(config.kafka())
                .earnTopic(config.topics().earnRequests())
                .spendTopic(config.topics().spendRequests())
                .clientId(clientId.length() > 200 ? clientId.substring(clientId.length() - 200) : clientId)
                .build());
    }

    String replyTopic() {
        return client.replyTopic();
    }

    @Override
    public CompletableFuture<Answer> submit(Write write, Duration wait) {
        CompletableFuture<Result> result = write.type() == RequestType.EARN
                ? client.relayEarn(write.userId(), write.requestId(), write.json())
                : client.relaySpend(write.userId(), write.requestId(), write.json());
        // A copy: the client's own future runs on to its deadline, resending, after the HTTP caller is told.
        return result.<Answer>thenApply(answer -> new Answer.Decided(answer.toJson().getBytes(StandardCharsets.UTF_8)))
                .completeOnTimeout(new Answer.Pending(), wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Fails the writes still waiting (their requests may yet be decided) and deletes the reply topic. */
    @Override
    public void close() {
        client.close();
    }
}
