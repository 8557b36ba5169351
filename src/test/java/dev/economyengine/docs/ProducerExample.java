package dev.economyengine.docs;

import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Publishes an earn and a spend for bob, as a game service would. */
public class ProducerExample {
    public static void main(String[] args) throws Exception {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, args.length > 0 ? args[0] : "localhost:9092");
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            // Keyed by the user: the Java client's partitioner sends it straight to bob's shard.
            producer.send(new ProducerRecord<>("economy.earn.requests", "bob", """
                    {"requestId": "match-981-win", "userId": "bob", "action": "game_win"}""")).get();
            producer.send(new ProducerRecord<>("economy.spend.requests", "bob", """
                    {"requestId": "order-7702", "userId": "bob", "amount": 30, "reason": "sku:shield"}""")).get();
        }
    }
}
