package dev.economyengine.app;

import dev.economyengine.config.EconomyConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code economy-engine demo}: starts the worker, publishes a handful of requests for a fresh user the
 * way a game service would, and prints every result and balance change it gets back.
 */
final class Demo {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private Demo() {}

    static void run(EconomyConfig config) {
        try (EconomyEngine engine = EconomyEngine.start(config)) {
            var topics = EconomyEngine.topics(config);
            String user = "demo-" + UUID.randomUUID().toString().substring(0, 8);
            List<ProducerRecord<String, String>> requests = List.of(
                    new ProducerRecord<>(topics.earnRequests(), user,
                            "{\"requestId\":\"r1\",\"userId\":\"" + user + "\",\"action\":\"daily_login\"}"),
                    new ProducerRecord<>(topics.earnRequests(), user,
                            "{\"requestId\":\"r2\",\"userId\":\"" + user + "\",\"action\":\"game_completion\"}"),
                    new ProducerRecord<>(topics.spendRequests(), user,
                            "{\"requestId\":\"r3\",\"userId\":\"" + user + "\",\"amount\":45,\"reason\":\"sku:sword\"}"),
                    new ProducerRecord<>(topics.spendRequests(), user,
                            "{\"requestId\":\"r4\",\"userId\":\"" + user + "\",\"amount\":500,\"reason\":\"sku:castle\"}"),
                    new ProducerRecord<>(topics.spendRequests(), user,
                            "{\"requestId\":\"r3\",\"userId\":\"" + user + "\",\"amount\":45,\"reason\":\"sku:sword\"}"),
                    new ProducerRecord<>(topics.earnRequests(), user,
                            "{\"requestId\":\"r5\",\"userId\":\"" + user + "\",\"action\":\"found_a_coin\"}"));
            System.out.println("Publishing " + requests.size() + " requests for user " + user + " to "
                    + engine.bootstrapServers());
            try (var producer = new KafkaProducer<String, String>(producerProperties(engine));
                    var consumer = new KafkaConsumer<String, String>(consumerProperties(engine))) {
                listenFromNow(consumer, List.of(topics.results(), topics.balanceChanged()));
                for (var request : requests) {
                    System.out.println("  -> " + request.topic() + "  " + request.value());
                    producer.send(request);
                    // One at a time, so the demo reads in the order a player would act.
                    producer.flush();
                }
                printAnswers(consumer, user, requests.size());
            }
        }
    }

    /** Positions the consumer at the end of the topics before anything is published. */
    private static void listenFromNow(KafkaConsumer<String, String> consumer, List<String> topics) {
        List<TopicPartition> partitions = topics.stream()
                .flatMap(topic -> consumer.partitionsFor(topic).stream())
                .map(info -> new TopicPartition(info.topic(), info.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
    }

    private static void printAnswers(KafkaConsumer<String, String> consumer, String user, int expectedResults) {
        int results = 0;
        Instant deadline = Instant.now().plus(TIMEOUT);
        while (results < expectedResults && Instant.now().isBefore(deadline)) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                if (user.equals(record.key())) {
                    System.out.println("  <- " + record.topic() + "  " + record.value());
                    if (record.topic().endsWith("results")) {
                        results++;
                    }
                }
            }
        }
        System.out.println(results == expectedResults ? "Demo done." : "Demo timed out waiting for results.");
    }

    private static Map<String, Object> producerProperties(EconomyEngine engine) {
        return Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, engine.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    }

    private static Map<String, Object> consumerProperties(EconomyEngine engine) {
        return Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, engine.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    }

}
