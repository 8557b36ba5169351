package dev.economyengine.client;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * Asks Economy Engine and gets the answer: {@code earn} and {@code spend} publish a request to the
 * worker's request topic, keyed by its userId, and return a future completed with that request's own
 * {@link Result}, whether accepted or rejected. Many threads may call it at once; one instance per
 * service process is enough.
 *
 * <pre>{@code
 * try (EconomyClient economy = EconomyClient.builder("kafka:9092").clientId("shop-1").build()) {
 *     Result result = economy.spend("alice", 120, "coins").get();
 *     if (!result.accepted()) { ... result.code() ... }   // INSUFFICIENT_BALANCE, UNKNOWN_CURRENCY, ...
 * }
 * }</pre>
 *
 * <p><b>Replies.</b> Each instance reads its answers from a topic of its own,
 * {@code economy.replies.<clientId>}, of one partition: created when the client is built if missing,
 * deleted when it is closed if it created it. Requests carry Spring Kafka's reply headers
 * ({@link ReplyHeaders}) naming that topic and a correlation id of their own; the worker sends each
 * result there too, in the same Kafka transaction. The topic is read read_committed with {@code assign()}
 * (no consumer group, no rebalance), from its end as it was before the first request. The cost: a topic
 * per running instance (the broker's metadata, and a topic left behind by a process killed before
 * {@link #close()}, which expires its records after an hour but stays until deleted); in exchange an
 * instance reads nothing but its own answers, and needs no coordination to share a topic. Give each
 * instance a stable {@code clientId} (its host or pod name) so that a restart reuses its topic.
 *
 * <p><b>Timeouts.</b> A request not answered within the attempt timeout is published again with the
 * same requestId and correlation id: the worker answers a request it has seen with its original result
 * ({@code duplicate} true), so nothing is applied twice. At the deadline the future fails with a
 * {@link RequestTimeoutException} carrying the request id. A late answer is ignored.
 *
 * <p>Futures complete on the client's reply thread: give heavy follow-up work to an executor
 * ({@code thenApplyAsync}), so that other answers are not held up.
 */
public final class EconomyClient implements AutoCloseable {
    public static final String DEFAULT_EARN_TOPIC = "economy.earn.requests";
    public static final String DEFAULT_SPEND_TOPIC = "economy.spend.requests";
    public static final String DEFAULT_BALANCE_CHANGED_TOPIC = "economy.balance-changed";
    public static final Duration DEFAULT_ATTEMPT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(30);

    /** OPEN -> CLOSED, once. */
    private enum State { OPEN, CLOSED }

    private final ClientOptions options;
    private final Admin admin;
    private final KafkaProducer<byte[], byte[]> producer;
    private final ReplyTopic replyTopic;
    private final InFlightRequests inFlight;
    private final ReplyReader replies;
    private final Set<BalanceSubscription> subscriptions = ConcurrentHashMap.newKeySet();
    private final AtomicReference<State> state = new AtomicReference<>(State.OPEN);

    private EconomyClient(ClientOptions options) {
        this.options = options;
        this.admin = Admin.create(KafkaSettings.admin(options));
        KafkaProducer<byte[], byte[]> createdProducer = null;
        KafkaConsumer<byte[], byte[]> replyConsumer = null;
        try {
            this.replyTopic = ReplyTopic.createIfMissing(admin, options.replyTopic());
            createdProducer = new KafkaProducer<>(KafkaSettings.producer(options));
            // The request topics' metadata now, so that the first earn or spend does not wait for it.
            createdProducer.partitionsFor(options.earnTopic());
            createdProducer.partitionsFor(options.spendTopic());
            this.producer = createdProducer;
            this.inFlight = new InFlightRequests(producer, replyTopic.name(), options.attemptTimeout(), options.deadline());
            replyConsumer = new KafkaConsumer<>(KafkaSettings.consumer(options, "-replies"));
            this.replies = new ReplyReader(replyConsumer, replyTopic.name(), inFlight);
        } catch (RuntimeException e) {
            if (replyConsumer != null) {
                replyConsumer.close(CloseOptions.timeout(Duration.ZERO));
            }
            if (createdProducer != null) {
                createdProducer.close(Duration.ZERO);
            }
            admin.close(Duration.ZERO);
            throw e;
        }
        replies.start();
    }

    /** A builder of a client of the cluster at {@code bootstrapServers} ({@code host:port,...}). */
    public static Builder builder(String bootstrapServers) {
        return new Builder(bootstrapServers);
    }

    /** Earns what the economy's rule for {@code action} pays, under a new request id. */
    public CompletableFuture<Result> earn(String userId, String action) {
        return earn(EarnRequest.of(userId, action));
    }

    public CompletableFuture<Result> earn(EarnRequest request) {
        Objects.requireNonNull(request, "request");
        return submit(options.earnTopic(), request.requestId(), request.userId(), RequestJson.earn(request));
    }

    /** Spends {@code amount} of {@code currency} ({@code null}: the economy's default), under a new request id. */
    public CompletableFuture<Result> spend(String userId, long amount, String currency) {
        return spend(SpendRequest.of(userId, amount, currency));
    }

    public CompletableFuture<Result> spend(SpendRequest request) {
        Objects.requireNonNull(request, "request");
        return submit(options.spendTopic(), request.requestId(), request.userId(), RequestJson.spend(request));
    }

    /**
     * Publishes an earn request already written as the worker reads it (a JSON object with its
     * {@code requestId} and {@code userId}, the same ones as given here) and answers it as
     * {@link #earn(EarnRequest)} does. For a relay that passes a body on as it was sent, so that the worker
     * alone judges its fields, such as the worker's own HTTP API; a service should use the typed requests.
     */
    public CompletableFuture<Result> relayEarn(String userId, String requestId, byte[] requestJson) {
        return submit(options.earnTopic(), requestId, userId, Objects.requireNonNull(requestJson, "requestJson"));
    }

    /** {@link #relayEarn} for a spend request. */
    public CompletableFuture<Result> relaySpend(String userId, String requestId, byte[] requestJson) {
        return submit(options.spendTopic(), requestId, userId, Objects.requireNonNull(requestJson, "requestJson"));
    }

    /**
     * Calls {@code listener} with every change of these users' balances from now on, until the returned
     * subscription is closed. Only the users' partitions of the balance-changed topic are read.
     */
    public BalanceSubscription subscribeToBalanceChanges(Set<String> userIds, Consumer<BalanceChange> listener) {
        Objects.requireNonNull(userIds, "userIds");
        if (userIds.isEmpty()) {
            throw new IllegalArgumentException("userIds must name at least one user");
        }
        return subscribe(userIds, listener);
    }

    /** Calls {@code listener} with every user's balance changes from now on, until the subscription is closed. */
    public BalanceSubscription subscribeToAllBalanceChanges(Consumer<BalanceChange> listener) {
        return subscribe(null, listener);
    }

    /** The topic this instance reads its answers from. */
    public String replyTopic() {
        return replyTopic.name();
    }

    /** How many requests wait for their answer now. */
    public int inFlight() {
        return inFlight.size();
    }

    private CompletableFuture<Result> submit(String topic, String requestId, String userId, byte[] body) {
        if (state.get() == State.CLOSED) {
            return CompletableFuture.failedFuture(new IllegalStateException("the EconomyClient is closed"));
        }
        return inFlight.submit(topic, requestId, userId, body);
    }

    private BalanceSubscription subscribe(Set<String> userIds, Consumer<BalanceChange> listener) {
        Objects.requireNonNull(listener, "listener");
        if (state.get() == State.CLOSED) {
            throw new IllegalStateException("the EconomyClient is closed");
        }
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(KafkaSettings.consumer(options, "-balances"));
        AtomicReference<BalanceSubscription> self = new AtomicReference<>();
        try {
            BalanceSubscription subscription = new BalanceSubscription(consumer, options.balanceChangedTopic(),
                    userIds, listener, () -> subscriptions.remove(self.get()));
            self.set(subscription);
            subscriptions.add(subscription);
            return subscription;
        } catch (RuntimeException e) {
            consumer.close(CloseOptions.timeout(Duration.ZERO));
            throw e;
        }
    }

    /**
     * Fails every request still waiting for its answer (it may yet be applied: its request id tells),
     * closes the subscriptions, and deletes the reply topic if this instance created it.
     */
    @Override
    public void close() {
        if (!state.compareAndSet(State.OPEN, State.CLOSED)) {
            return;
        }
        inFlight.failAll("the EconomyClient was closed");
        replies.stop();
        subscriptions.forEach(BalanceSubscription::close);
        producer.close(Duration.ofSeconds(5));
        replyTopic.deleteIfCreatedHere();
        admin.close(Duration.ofSeconds(5));
    }

    /** Topic names default to the worker's; every Kafka client property may be given (security, timeouts). */
    public static final class Builder {
        private final String bootstrapServers;
        private final Map<String, Object> kafkaProperties = new HashMap<>();
        private String earnTopic = DEFAULT_EARN_TOPIC;
        private String spendTopic = DEFAULT_SPEND_TOPIC;
        private String balanceChangedTopic = DEFAULT_BALANCE_CHANGED_TOPIC;
        private String clientId = "economy-client-" + UUID.randomUUID();
        private Duration attemptTimeout = DEFAULT_ATTEMPT_TIMEOUT;
        private Duration deadline = DEFAULT_DEADLINE;

        private Builder(String bootstrapServers) {
            this.bootstrapServers = bootstrapServers;
        }

        /** A Kafka client property for the client's producer, consumers and admin client. */
        public Builder property(String name, Object value) {
            kafkaProperties.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, name));
            return this;
        }

        public Builder properties(Map<String, ?> properties) {
            properties.forEach(this::property);
            return this;
        }

        public Builder earnTopic(String topic) {
            this.earnTopic = topic;
            return this;
        }

        public Builder spendTopic(String topic) {
            this.spendTopic = topic;
            return this;
        }

        public Builder balanceChangedTopic(String topic) {
            this.balanceChangedTopic = topic;
            return this;
        }

        /** Names the instance and its reply topic {@code economy.replies.<clientId>}; default a random one. */
        public Builder clientId(String clientId) {
            this.clientId = clientId;
            return this;
        }

        /** How long an attempt waits for its answer before the request is sent again; default 5 s. */
        public Builder attemptTimeout(Duration attemptTimeout) {
            this.attemptTimeout = attemptTimeout;
            return this;
        }

        /** How long a request is tried in all before its future fails; default 30 s. */
        public Builder deadline(Duration deadline) {
            this.deadline = deadline;
            return this;
        }

        /** Connects: creates the reply topic if missing and takes its position. */
        public EconomyClient build() {
            return new EconomyClient(new ClientOptions(bootstrapServers, kafkaProperties, earnTopic, spendTopic,
                    balanceChangedTopic, clientId, attemptTimeout, deadline));
        }
    }
}
