package dev.economyengine.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.RoundRobinAssignor;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class ClientPropertiesTest {

    private static final String BOOTSTRAP = "broker-1:9093,broker-2:9093";
    private static final String TRANSACTIONAL_ID = "economy-engine-host-1";
    private static final String JAAS =
            "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"p\";";
    private static final Map<String, String> SECURITY = Map.of(
            "security.protocol", "SASL_SSL",
            "sasl.mechanism", "PLAIN",
            "sasl.jaas.config", JAAS);

    /** Everything an operator might try to set against the guarantees. */
    private static final Map<String, String> HOSTILE_CONSUMER = Map.of(
            "enable.auto.commit", "true",
            "partition.assignment.strategy", RoundRobinAssignor.class.getName(),
            "group.protocol", "consumer",
            "group.id", "someone-elses-group",
            "bootstrap.servers", "elsewhere:9092",
            "key.deserializer", StringDeserializer.class.getName(),
            "value.deserializer", StringDeserializer.class.getName());

    private static final Map<String, String> HOSTILE_PRODUCER = Map.of(
            "enable.idempotence", "false",
            "acks", "1",
            "bootstrap.servers", "elsewhere:9092",
            "transactional.id", "someone-elses-id",
            "key.serializer", StringSerializer.class.getName(),
            "value.serializer", StringSerializer.class.getName());

    @Test
    void consumer_passesSecurityPropertiesThrough() {
        Map<String, Object> props = ClientProperties.consumer(BOOTSTRAP, "economy-engine", SECURITY);

        assertThat(props).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "PLAIN")
                .containsEntry("sasl.jaas.config", JAAS);
    }

    @Test
    void producer_passesSecurityPropertiesThrough() {
        Map<String, Object> props = ClientProperties.producer(BOOTSTRAP, TRANSACTIONAL_ID, SECURITY);

        assertThat(props).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "PLAIN")
                .containsEntry("sasl.jaas.config", JAAS);
    }

    @Test
    void admin_passesSecurityPropertiesThroughAndKeepsItsBootstrapServers() {
        Map<String, Object> props = ClientProperties.admin(BOOTSTRAP, Map.of("security.protocol", "SASL_SSL",
                "bootstrap.servers", "elsewhere:9092"));

        assertThat(props).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("bootstrap.servers", BOOTSTRAP);
    }

    @Test
    void consumer_withAutoCommitPassedTrue_keepsAutoCommitOff() {
        Map<String, Object> props = ClientProperties.consumer(BOOTSTRAP, "economy-engine",
                Map.of("enable.auto.commit", "true"));

        assertThat(String.valueOf(props.get("enable.auto.commit"))).isEqualTo("false");
        assertThat(new ConsumerConfig(props).getBoolean(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG)).isFalse();
    }

    @Test
    void consumer_withAnotherAssignorPassed_keepsTheEndpointAwareRangeAssignorOnTheClassicProtocol() {
        Map<String, Object> props = ClientProperties.consumer(BOOTSTRAP, "economy-engine", HOSTILE_CONSUMER);
        ConsumerConfig config = new ConsumerConfig(props);

        assertThat(config.getList(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG))
                .containsExactly(EndpointAwareAssignor.class.getName());
        assertThat(config.getString(ConsumerConfig.GROUP_PROTOCOL_CONFIG)).isEqualToIgnoringCase("classic");
    }

    @Test
    void consumer_withGuaranteesPassedOtherwise_keepsEveryGuarantee() {
        Map<String, Object> props = ClientProperties.consumer(BOOTSTRAP, "economy-engine", HOSTILE_CONSUMER);
        ConsumerConfig config = new ConsumerConfig(props);

        assertThat(config.getBoolean(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG)).isFalse();
        assertThat(config.getString(ConsumerConfig.GROUP_ID_CONFIG)).isEqualTo("economy-engine");
        assertThat(config.getList(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG))
                .containsExactly("broker-1:9093", "broker-2:9093");
        assertThat(config.getClass(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG)).isEqualTo(ByteArrayDeserializer.class);
        assertThat(config.getClass(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG)).isEqualTo(ByteArrayDeserializer.class);
    }

    @Test
    void producer_withGuaranteesPassedOtherwise_keepsIdempotenceAcksAllAndItsTransactionalId() {
        Map<String, Object> props = ClientProperties.producer(BOOTSTRAP, TRANSACTIONAL_ID, HOSTILE_PRODUCER);

        assertThat(String.valueOf(props.get("enable.idempotence"))).isEqualTo("true");
        assertThat(props).containsEntry("acks", "all");
        ProducerConfig config = new ProducerConfig(props);
        assertThat(config.getBoolean(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG)).isTrue();
        assertThat(config.getString(ProducerConfig.ACKS_CONFIG)).isEqualTo("-1"); // "all" is stored as -1
        assertThat(config.getList(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG))
                .containsExactly("broker-1:9093", "broker-2:9093");
        assertThat(config.getString(ProducerConfig.TRANSACTIONAL_ID_CONFIG)).isEqualTo(TRANSACTIONAL_ID);
        assertThat(config.getClass(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG)).isEqualTo(ByteArraySerializer.class);
        assertThat(config.getClass(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG)).isEqualTo(ByteArraySerializer.class);
    }

    @Test
    void consumer_withNothingPassed_hasTheDefaults() {
        ConsumerConfig config = new ConsumerConfig(ClientProperties.consumer(BOOTSTRAP, "economy-engine", Map.of()));

        assertThat(config.getString(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG)).isEqualTo("earliest");
        assertThat(config.getString(ConsumerConfig.ISOLATION_LEVEL_CONFIG)).isEqualTo("read_committed");
        assertThat(config.getInt(ConsumerConfig.MAX_POLL_RECORDS_CONFIG)).isEqualTo(5000);
        assertThat(config.getBoolean(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG)).isFalse();
    }

    @Test
    void producer_withNothingPassed_hasTheDefaults() {
        ProducerConfig config =
                new ProducerConfig(ClientProperties.producer(BOOTSTRAP, TRANSACTIONAL_ID, Map.of()));

        assertThat(config.getLong(ProducerConfig.LINGER_MS_CONFIG)).isEqualTo(10L);
        assertThat(config.getInt(ProducerConfig.BATCH_SIZE_CONFIG)).isEqualTo(256 * 1024);
        assertThat(config.getLong(ProducerConfig.RETRY_BACKOFF_MS_CONFIG)).isEqualTo(10L);
        assertThat(config.getLong(ProducerConfig.RETRY_BACKOFF_MAX_MS_CONFIG)).isEqualTo(1000L);
        assertThat(config.getLong(ProducerConfig.MAX_BLOCK_MS_CONFIG)).isEqualTo(15_000L);
        assertThat(config.getBoolean(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG)).isTrue();
        assertThat(config.getString(ProducerConfig.ACKS_CONFIG)).isEqualTo("-1");
    }

    @Test
    void consumer_overridableDefaults_canBeOverridden() {
        Map<String, Object> props = ClientProperties.consumer(BOOTSTRAP, "economy-engine", Map.of(
                "auto.offset.reset", "latest",
                "max.poll.records", "250"));
        ConsumerConfig config = new ConsumerConfig(props);

        assertThat(config.getString(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG)).isEqualTo("latest");
        assertThat(config.getInt(ConsumerConfig.MAX_POLL_RECORDS_CONFIG)).isEqualTo(250);
    }

    /** An aborted batch's forwarded copies must not be read: its retry forwards them again. */
    @Test
    void consumer_readsOnlyCommittedRecords_whateverIsPassed() {
        Map<String, Object> props = ClientProperties.consumer(BOOTSTRAP, "economy-engine",
                Map.of("isolation.level", "read_uncommitted"));

        assertThat(new ConsumerConfig(props).getString(ConsumerConfig.ISOLATION_LEVEL_CONFIG))
                .isEqualTo("read_committed");
    }

    @Test
    void producer_lingerMs_canBeOverridden() {
        ProducerConfig config =
                new ProducerConfig(ClientProperties.producer(BOOTSTRAP, TRANSACTIONAL_ID, Map.of("linger.ms", "25")));

        assertThat(config.getLong(ProducerConfig.LINGER_MS_CONFIG)).isEqualTo(25L);
    }

    @Test
    void consumerAndProducer_doNotShareWhatIsPassed() {
        Map<String, Object> consumer = ClientProperties.consumer(BOOTSTRAP, "g", Map.of("client.id", "c"));
        Map<String, Object> producer = ClientProperties.producer(BOOTSTRAP, TRANSACTIONAL_ID, Map.of());

        assertThat(consumer).containsEntry("client.id", "c");
        assertThat(producer).doesNotContainKey("client.id").doesNotContainKey("group.id");
        assertThat(List.copyOf(producer.keySet())).doesNotContain("enable.auto.commit");
    }

    @Test
    void restoreConsumer_withAGroupPassed_hasNoGroupAndReadsOnlyCommittedRecords() {
        Map<String, Object> props = ClientProperties.restoreConsumer(BOOTSTRAP, Map.of(
                "group.id", "economy-engine",
                "group.instance.id", "worker-1",
                "isolation.level", "read_uncommitted",
                "enable.auto.commit", "true",
                "security.protocol", "SASL_SSL"));
        ConsumerConfig config = new ConsumerConfig(props);

        assertThat(props).doesNotContainKeys("group.id", "group.instance.id");
        assertThat(config.getString(ConsumerConfig.ISOLATION_LEVEL_CONFIG)).isEqualTo("read_committed");
        assertThat(config.getBoolean(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG)).isFalse();
        assertThat(config.getString("security.protocol")).isEqualTo("SASL_SSL");
        assertThat(config.getClass(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG)).isEqualTo(ByteArrayDeserializer.class);
    }
}
