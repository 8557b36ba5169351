package dev.economyengine.ops;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * {@code economy.consumer.lag{topic,partition}}: how many records of each assigned request partition
 * are still ahead of the worker, from the consumer's own {@code records-lag} metric (updated on every
 * fetch). Partitions come and go with rebalances, so the rows are rebuilt before each scrape.
 * {@link Consumer#metrics()} may be read from any thread (Micrometer's Kafka binder does the same).
 */
final class ConsumerLag {
    private static final String GROUP = "consumer-fetch-manager-metrics";
    private static final String NAME = "records-lag";

    private final List<Consumer<?, ?>> consumers = new CopyOnWriteArrayList<>();
    private final List<String> topics;
    private final MultiGauge gauge;

    ConsumerLag(MeterRegistry registry, List<String> topics) {
        this.topics = List.copyOf(topics);
        this.gauge = MultiGauge.builder("economy.consumer.lag")
                .description("Records of a request partition not yet read by this worker (consumer records-lag)")
                .register(registry);
    }

    /** A consumer of the request topics: one per worker lane, each with its own partitions. */
    void add(Consumer<?, ?> consumer) {
        consumers.add(consumer);
    }

    void refresh() {
        // Kafka registers some partition metrics twice, with the topic tag as named and with its dots
        // as underscores: one row per topic-partition, the exactly named metric preferred.
        Map<List<String>, MultiGauge.Row<?>> rows = new LinkedHashMap<>();
        for (Consumer<?, ?> consumer : consumers) {
            addRows(consumer, rows);
        }
        gauge.register(List.copyOf(rows.values()), true);
    }

    private void addRows(Consumer<?, ?> consumer, Map<List<String>, MultiGauge.Row<?>> rows) {
        for (Map.Entry<MetricName, ? extends Metric> entry : consumer.metrics().entrySet()) {
            MetricName name = entry.getKey();
            if (!name.name().equals(NAME) || !name.group().equals(GROUP)) {
                continue;
            }
            String tag = name.tags().get("topic");
            String topic = topicOf(tag);
            String partition = name.tags().get("partition");
            if (topic == null || partition == null) {
                continue;
            }
            MultiGauge.Row<?> row = MultiGauge.Row.of(Tags.of("topic", topic, "partition", partition),
                    entry.getValue(), ConsumerLag::value);
            if (topic.equals(tag)) {
                rows.put(List.of(topic, partition), row);
            } else {
                rows.putIfAbsent(List.of(topic, partition), row);
            }
        }
    }

    /** The request topic a metric's topic tag names, as is or with dots written as underscores. */
    private String topicOf(String tag) {
        if (tag == null) {
            return null;
        }
        for (String topic : topics) {
            if (topic.equals(tag) || topic.replace('.', '_').equals(tag)) {
                return topic;
            }
        }
        return null;
    }

    private static double value(Metric metric) {
        return metric.metricValue() instanceof Number number ? number.doubleValue() : Double.NaN;
    }
}
