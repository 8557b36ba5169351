package dev.economyengine.ops;

import dev.economyengine.messaging.ShardState;
import dev.economyengine.messaging.WorkerMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

/**
 * The engine's metrics registry, in the Prometheus text format: the worker's own meters
 * ({@link #worker()}), the consumer lag, readiness, and the Kafka clients' metrics through Micrometer's
 * {@link KafkaClientMetrics} binder. Thread-safe.
 */
public final class EngineMetrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MicrometerWorkerMetrics worker;
    private final List<KafkaClientMetrics> clientBinders = new CopyOnWriteArrayList<>();
    /** The current producer of each worker lane; a lane replaces its own. */
    private final List<AtomicReference<KafkaClientMetrics>> producerBinders = new CopyOnWriteArrayList<>();
    private ConsumerLag lag;

    /** @param partitionCount the request topics' partition count, for one restore gauge per shard */
    public EngineMetrics(int partitionCount) {
        this(partitionCount, List.of());
    }

    /** @param requestTopics the topics whose forwarded requests are counted from the start, at zero */
    public EngineMetrics(int partitionCount, List<String> requestTopics) {
        this.worker = new MicrometerWorkerMetrics(registry, partitionCount, requestTopics);
    }

    public WorkerMetrics worker() {
        return worker;
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** {@code economy_worker_ready}: 1 while the worker is ready to serve, else 0. */
    public void bindReadiness(BooleanSupplier ready) {
        Gauge.builder("economy.worker.ready", () -> ready.getAsBoolean() ? 1 : 0)
                .description("1 while the worker is in the group with its partitions restored, else 0")
                .register(registry);
    }

    /**
     * {@code economy_shards{state}}: how many shards this process holds in each lifecycle state (every
     * state is listed, most with 0), so that a dashboard shows restores and failures as they happen.
     */
    public void bindShardStates(Supplier<Map<ShardState, Integer>> counts) {
        for (ShardState state : ShardState.values()) {
            Gauge.builder("economy.shards", () -> counts.get().getOrDefault(state, 0))
                    .description("Shards held by this process, by lifecycle state")
                    .tag("state", state.name())
                    .register(registry);
        }
    }

    /**
     * {@code economy_balance_cache_hit_ratio}: the share of balance reads the cache answered, from 0 to
     * 1 (NaN before the first read). The store keeps the count; the composition root supplies it.
     */
    public void bindCacheHitRatio(DoubleSupplier hitRatio) {
        Gauge.builder("economy.balance.cache.hit.ratio", hitRatio::getAsDouble)
                .description("Share of balance reads answered by the balance cache, over the shards open here")
                .register(registry);
    }

    /** Binds a consumer's Kafka metrics; with request topics, also its lag per request partition. */
    public synchronized <K, V> Consumer<K, V> bindConsumer(Consumer<K, V> consumer, List<String> requestTopics) {
        bind(new KafkaClientMetrics(consumer));
        if (!requestTopics.isEmpty()) {
            if (lag == null) {
                lag = new ConsumerLag(registry, requestTopics);
            }
            lag.add(consumer);
        }
        return consumer;
    }

    /**
     * Binds every producer the factory makes. A worker lane makes a new one when it must replace its
     * producer; the old one's meters are then released. Call once per lane.
     */
    public <K, V> Supplier<Producer<K, V>> bindProducers(Supplier<Producer<K, V>> factory) {
        AtomicReference<KafkaClientMetrics> current = new AtomicReference<>();
        producerBinders.add(current);
        return () -> {
            Producer<K, V> producer = factory.get();
            KafkaClientMetrics binder = new KafkaClientMetrics(producer);
            binder.bindTo(registry);
            KafkaClientMetrics previous = current.getAndSet(binder);
            if (previous != null) {
                previous.close();
            }
            return producer;
        };
    }

    private void bind(KafkaClientMetrics binder) {
        binder.bindTo(registry);
        clientBinders.add(binder);
    }

    /**
     * Everything in the Prometheus text format (version 0.0.4). One scrape at a time, so that two never
     * rebuild the lag rows together.
     */
    public synchronized String scrape() {
        if (lag != null) {
            lag.refresh();
        }
        return registry.scrape();
    }

    @Override
    public synchronized void close() {
        List<KafkaClientMetrics> binders = new ArrayList<>(clientBinders);
        producerBinders.stream().map(AtomicReference::get).filter(Objects::nonNull).forEach(binders::add);
        binders.forEach(KafkaClientMetrics::close);
        registry.close();
    }
}
