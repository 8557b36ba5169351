package dev.economyengine.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.economyengine.app.EconomyEngine;
import dev.economyengine.client.ReplyHeaders;
import dev.economyengine.testing.EconomyTestEnvironment;
import dev.economyengine.testing.Json;
import dev.economyengine.testing.TopicRecords;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;
import org.springframework.kafka.requestreply.ReplyingKafkaTemplate;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.kafka.support.TopicPartitionOffset;

/**
 * A Spring service asks the worker with Spring Kafka's own {@link ReplyingKafkaTemplate} and its own
 * reply container, set up as Spring's documentation shows, with no code of ours: each
 * {@code sendAndReceive} gets the worker's result as its answer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SpringReplyCompatibilityTest {
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);

    private EconomyTestEnvironment environment;
    private EconomyEngine engine;
    private String id;

    @BeforeAll
    void start(@TempDir Path workDir) {
        id = UUID.randomUUID().toString().substring(0, 8);
        environment = new EconomyTestEnvironment(workDir, 2);
        engine = environment.startEngine();
    }

    @AfterAll
    void stop() {
        engine.close();
    }

    @Test
    void replyHeaders_areSpringKafkasNames() {
        assertThat(List.of(ReplyHeaders.REPLY_TOPIC, ReplyHeaders.REPLY_PARTITION, ReplyHeaders.CORRELATION_ID))
                .containsExactly(KafkaHeaders.REPLY_TOPIC, KafkaHeaders.REPLY_PARTITION, KafkaHeaders.CORRELATION_ID);
    }

    @Test
    void springsReplyingKafkaTemplate_subscribedToAReplyTopic_getsTheWorkersResults() throws Exception {
        String replies = "economy.replies.spring-" + id;
        TopicRecords.create(environment.bootstrapServers(), replies, 2);
        ReplyingKafkaTemplate<String, String, String> template = template(new ContainerProperties(replies));
        try {
            assertThat(template.waitForAssignment(ANSWER_TIMEOUT)).as("the reply container is assigned").isTrue();
            String user = "spring-" + id;

            JsonNode earned = ask(template, environment.topics().earnRequests(), user,
                    "{\"requestId\":\"e1\",\"userId\":\"" + user + "\",\"action\":\"daily_login\"}");
            JsonNode spent = ask(template, environment.topics().spendRequests(), user,
                    "{\"requestId\":\"s1\",\"userId\":\"" + user + "\",\"amount\":4}");
            JsonNode again = ask(template, environment.topics().spendRequests(), user,
                    "{\"requestId\":\"s1\",\"userId\":\"" + user + "\",\"amount\":4}");

            assertThat(earned.get("requestId").asText()).isEqualTo("e1");
            assertThat(earned.get("status").asText()).isEqualTo("ACCEPTED");
            assertThat(spent.get("balance").asLong()).isEqualTo(earned.get("balance").asLong() - 4);
            assertThat(again.get("duplicate").asBoolean()).isTrue();
            assertThat(again.get("transactionId")).isEqualTo(spent.get("transactionId"));
        } finally {
            template.stop();
        }
    }

    @Test
    void springsReplyingKafkaTemplate_withAReplyContainerOnOnePartition_getsItsAnswerInThatPartition() throws Exception {
        String replies = "economy.replies.spring-one-" + id;
        TopicRecords.create(environment.bootstrapServers(), replies, 3);
        // One partition assigned: Spring then writes kafka_replyPartition, a 4-byte int, itself.
        ReplyingKafkaTemplate<String, String, String> template =
                template(new ContainerProperties(new TopicPartitionOffset(replies, 2)));
        try {
            String user = "spring-one-" + id;
            ConsumerRecord<String, String> answer = template.sendAndReceive(new ProducerRecord<>(
                            environment.topics().earnRequests(), user,
                            "{\"requestId\":\"e1\",\"userId\":\"" + user + "\",\"action\":\"daily_login\"}"))
                    .get(ANSWER_TIMEOUT.toSeconds(), TimeUnit.SECONDS);

            assertThat(answer.partition()).isEqualTo(2);
            assertThat(Json.parse(answer.value().getBytes(StandardCharsets.UTF_8)).get("requestId").asText()).isEqualTo("e1");
        } finally {
            template.stop();
        }
    }

    private JsonNode ask(ReplyingKafkaTemplate<String, String, String> template, String topic, String user,
            String request) throws Exception {
        ConsumerRecord<String, String> answer = template.sendAndReceive(new ProducerRecord<>(topic, user, request))
                .get(ANSWER_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        return Json.parse(answer.value().getBytes(StandardCharsets.UTF_8));
    }

    /** A template with its own reply container, as Spring Kafka's reference documentation sets one up. */
    private ReplyingKafkaTemplate<String, String, String> template(ContainerProperties replyContainer) {
        DefaultKafkaProducerFactory<String, String> producers = new DefaultKafkaProducerFactory<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, environment.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class));
        DefaultKafkaConsumerFactory<String, String> consumers = new DefaultKafkaConsumerFactory<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, environment.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "spring-replies-" + UUID.randomUUID(),
                // Replies are committed in the worker's transactions.
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                // A fresh reply topic: nothing is older than this test's own answers.
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class));
        ReplyingKafkaTemplate<String, String, String> template = new ReplyingKafkaTemplate<>(producers,
                new KafkaMessageListenerContainer<>(consumers, replyContainer));
        template.setDefaultReplyTimeout(ANSWER_TIMEOUT);
        template.start();
        return template;
    }
}
