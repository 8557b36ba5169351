package dev.economyengine.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.economyengine.config.EconomyConfig;
import dev.economyengine.messaging.ClientProperties;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What the demo shows a newcomer: a handful of requests for a fresh user, sent one at a time the way a game
 * service would, and what the worker answered to each, in words ("earn daily_login for user demo-1a2b3c4d:
 * ACCEPTED, balance 10").
 */
final class DemoScript {
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request, and how to say what it is. */
    private record Step(String topic, String requestId, String json, String description) {}

    private final EconomyConfig.TopicNames topics;
    private final String bootstrapServers;
    private final Map<String, String> clientProperties;
    private final PrintStream out;

    /** Plays against the worker of {@code config}'s topics at {@code bootstrapServers}. */
    DemoScript(EconomyConfig config, String bootstrapServers, PrintStream out) {
        this.topics = config.topics();
        this.bootstrapServers = bootstrapServers;
        this.clientProperties = config.kafka();
        this.out = out;
    }

    /** Returns the exit code: 0 once every request was answered, 1 if one was not. */
    int play() {
        String user = "demo-" + UUID.randomUUID().toString().substring(0, 8);
        List<Step> steps = List.of(
                earn(user, "r1", "daily_login", "earn daily_login for user " + user),
                earn(user, "r2", "game_completion", "earn game_completion"),
                spend(user, "r3", 45, "sku:sword", "spend 45 on sku:sword"),
                spend(user, "r4", 500, "sku:castle", "spend more than the balance (500 on sku:castle)"),
                spend(user, "r3", 45, "sku:sword", "retry of the same request (r3, spend 45 on sku:sword)"),
                earn(user, "r5", "found_a_coin", "earn found_a_coin, an action the earning rules do not know"));
        out.println("Sending " + steps.size() + " requests for user " + user + ", one at a time:");
        try (var producer = new KafkaProducer<String, String>(producerProperties());
                var consumer = new KafkaConsumer<byte[], byte[]>(
                        ClientProperties.restoreConsumer(bootstrapServers, clientProperties))) {
            Answers answers = new Answers(consumer, user);
            long balance = 0;
            int applied = 0;
            for (Step step : steps) {
                producer.send(new ProducerRecord<>(step.topic(), user, step.json()));
                producer.flush();
                Optional<JsonNode> result = answers.resultOf(step.requestId());
                if (result.isEmpty()) {
                    out.println("  " + step.description() + ": no answer within " + ANSWER_TIMEOUT.toSeconds()
                            + " s. Is the worker running?");
                    return 1;
                }
                out.println("  " + step.description() + ": " + describe(result.get(), balance));
                if (namesACurrency(result.get())) {
                    balance = result.get().path("balance").asLong(balance);
                }
                boolean changedBalance = result.get().path("status").asText().equals("ACCEPTED")
                        && !result.get().path("duplicate").asBoolean();
                applied += changedBalance ? 1 : 0;
            }
            out.println("Balance-changed events: " + answers.awaitBalanceChanges(applied)
                    + ", one for each request applied.");
            out.println("Demo done: every request answered once, nothing applied twice; final balance " + balance + ".");
            return 0;
        }
    }

    private Step earn(String user, String requestId, String action, String description) {
        return new Step(topics.earnRequests(), requestId, "{\"requestId\":\"" + requestId + "\",\"userId\":\"" + user
                + "\",\"action\":\"" + action + "\"}", description);
    }

    private Step spend(String user, String requestId, long amount, String reason, String description) {
        return new Step(topics.spendRequests(), requestId, "{\"requestId\":\"" + requestId + "\",\"userId\":\"" + user
                + "\",\"amount\":" + amount + ",\"reason\":\"" + reason + "\"}", description);
    }

    /** "ACCEPTED, balance 10"; "REJECTED INSUFFICIENT_BALANCE, balance unchanged"; a duplicate said so. */
    static String describe(JsonNode result, long balanceBefore) {
        long balance = result.path("balance").asLong();
        if (result.path("duplicate").asBoolean()) {
            return "answered as a duplicate, nothing applied twice (balance " + balance + ")";
        }
        if (result.path("status").asText().equals("ACCEPTED")) {
            return "ACCEPTED, balance " + balance;
        }
        return "REJECTED " + result.path("code").asText() + ", "
                + (balance == balanceBefore || !namesACurrency(result) ? "balance unchanged" : "balance " + balance);
    }

    /** A result that names no currency (its action is unknown) shows no balance: its 0 is no balance of the user's. */
    private static boolean namesACurrency(JsonNode result) {
        return result.path("currency").isTextual();
    }

    private Map<String, Object> producerProperties() {
        Map<String, Object> properties = new HashMap<>(clientProperties);
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return properties;
    }

    /** The results and balance changes for the demo's user, read from the moment the demo starts. */
    private final class Answers {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final String user;
        private final Queue<JsonNode> results = new ArrayDeque<>();
        private int balanceChanges;

        Answers(KafkaConsumer<byte[], byte[]> consumer, String user) {
            this.consumer = consumer;
            this.user = user;
            List<TopicPartition> partitions = Stream.of(topics.results(), topics.balanceChanged())
                    .flatMap(topic -> consumer.partitionsFor(topic).stream())
                    .map(info -> new TopicPartition(info.topic(), info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            // Positions are resolved lazily: resolve them now, before the first request is sent.
            partitions.forEach(consumer::position);
        }

        /** The next result for this request id, in the order the worker answered. */
        Optional<JsonNode> resultOf(String requestId) {
            long deadline = System.nanoTime() + ANSWER_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                for (JsonNode result = results.poll(); result != null; result = results.poll()) {
                    if (result.path("requestId").asText().equals(requestId)) {
                        return Optional.of(result);
                    }
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    read(record);
                }
            }
            return Optional.empty();
        }

        /**
         * How many balance changes arrived, once {@code expected} have or the answer timeout passed: each is
         * committed with its result, but may be read a poll after it.
         */
        int awaitBalanceChanges(int expected) {
            long deadline = System.nanoTime() + ANSWER_TIMEOUT.toNanos();
            while (balanceChanges < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    read(record);
                }
            }
            return balanceChanges;
        }

        private void read(ConsumerRecord<byte[], byte[]> record) {
            if (record.key() == null || !user.equals(new String(record.key(), StandardCharsets.UTF_8))) {
                return;
            }
            if (record.topic().equals(topics.balanceChanged())) {
                balanceChanges++;
                return;
            }
            try {
                results.add(JSON.readTree(record.value()));
            } catch (IOException e) {
                throw new UncheckedIOException("the worker published a result that is not JSON", e);
            }
        }
    }
}
