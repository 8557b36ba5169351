package dev.economyengine.ops;

import dev.economyengine.ledger.RequestType;
import dev.economyengine.ledger.Result;
import dev.economyengine.ledger.ResultCode;
import dev.economyengine.messaging.ReplyRefusal;
import dev.economyengine.messaging.WorkerMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What the poll loop reports, as Micrometer meters. Every meter is registered up front (one counter per
 * type, outcome and duplicate flag; a forwarded counter per request topic; restore gauges per
 * partition), so a scrape shows each series from the start, at zero, and the worker thread registers
 * nothing: each call is an array or map lookup and an atomic add. (A topic it was not told of is
 * registered when first counted.)
 */
final class MicrometerWorkerMetrics implements WorkerMetrics {
    private final Counter[][][] results;
    private final Counter deadLetters;
    private final Counter repliesSent;
    private final Counter[] repliesRefused;
    private final Map<String, Counter> forwarded = new ConcurrentHashMap<>();
    private final MeterRegistry registry;
    private final DistributionSummary batchSize;
    private final Timer kafkaCommit;
    private final Timer sqliteCommit;
    /** Over every lane: each adds what joins its open transaction and takes it away at the end. */
    private final AtomicLong openTransactionRecords = new AtomicLong();
    private final AtomicLongArray restored;
    private final AtomicLongArray restoreRemaining;

    MicrometerWorkerMetrics(MeterRegistry registry, int partitionCount, List<String> requestTopics) {
        this.registry = registry;
        results = new Counter[RequestType.values().length][ResultCode.values().length][2];
        for (RequestType type : RequestType.values()) {
            for (ResultCode code : ResultCode.values()) {
                for (int duplicate = 0; duplicate < 2; duplicate++) {
                    results[type.ordinal()][code.ordinal()][duplicate] = Counter.builder("economy.requests")
                            .description("Results published, by request type, outcome (ACCEPTED or the rejection "
                                    + "code) and whether the request had been seen before")
                            .tag("type", type.name())
                            .tag("outcome", outcome(code))
                            .tag("duplicate", Boolean.toString(duplicate == 1))
                            .register(registry);
                }
            }
        }
        deadLetters = Counter.builder("economy.dlq.records")
                .description("Records sent to the dead-letter topic because they could not be read")
                .register(registry);
        requestTopics.forEach(topic -> forwarded.computeIfAbsent(topic, this::forwardedCounter));
        repliesSent = Counter.builder("economy.replies.sent")
                .description("Results also sent to the reply topic their request named (kafka_replyTopic)")
                .register(registry);
        repliesRefused = new Counter[ReplyRefusal.values().length];
        for (ReplyRefusal reason : ReplyRefusal.values()) {
            repliesRefused[reason.ordinal()] = Counter.builder("economy.replies.refused")
                    .description("Requests that named a reply topic but got no reply there, by reason; their"
                            + " results were published as usual")
                    .tag("reason", reason.tag())
                    .register(registry);
        }
        batchSize = DistributionSummary.builder("economy.batch.size")
                .description("Requests applied per committed batch")
                .baseUnit("records")
                .publishPercentileHistogram()
                .minimumExpectedValue(1.0)
                .maximumExpectedValue(10_000.0)
                .register(registry);
        kafkaCommit = latency(registry, "economy.kafka.commit",
                "Time to commit a batch's Kafka transaction (results, events, changelog and offsets)");
        sqliteCommit = latency(registry, "economy.sqlite.commit",
                "Time to write and commit one shard's share of a batch to SQLite, after the Kafka commit");
        Gauge.builder("economy.transaction.open", openTransactionRecords::get)
                .description("Requests in the Kafka transactions the worker holds open across polls, not yet"
                        + " committed (see commit.max-delay.ms and commit.max-records)")
                .baseUnit("records")
                .register(registry);
        restored = new AtomicLongArray(partitionCount);
        restoreRemaining = new AtomicLongArray(partitionCount);
        for (int partition = 0; partition < partitionCount; partition++) {
            int p = partition;
            Gauge.builder("economy.restore.restored", () -> restored.get(p))
                    .description("Changelog records written into the shard by its latest restore")
                    .tag("partition", Integer.toString(p))
                    .baseUnit("records")
                    .register(registry);
            Gauge.builder("economy.restore.remaining", () -> restoreRemaining.get(p))
                    .description("Changelog records the shard's restore still has to read; 0 once restored")
                    .tag("partition", Integer.toString(p))
                    .baseUnit("records")
                    .register(registry);
        }
    }

    private static Timer latency(MeterRegistry registry, String name, String description) {
        return Timer.builder(name)
                .description(description)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
    }

    private Counter forwardedCounter(String topic) {
        return Counter.builder("economy.requests.forwarded")
                .description("Requests that landed in another partition than their userId's (a producer with "
                        + "another partitioner than murmur2), forwarded to it, by request topic")
                .tag("topic", topic)
                .register(registry);
    }

    static String outcome(ResultCode code) {
        return code == ResultCode.OK ? "ACCEPTED" : code.name();
    }

    @Override
    public void result(Result result) {
        results[result.type().ordinal()][result.code().ordinal()][result.duplicate() ? 1 : 0].increment();
    }

    @Override
    public void openTransactionChanged(int records) {
        openTransactionRecords.addAndGet(records);
    }

    @Override
    public void deadLettered() {
        deadLetters.increment();
    }

    @Override
    public void forwarded(String topic) {
        forwarded.computeIfAbsent(topic, this::forwardedCounter).increment();
    }

    @Override
    public void replySent() {
        repliesSent.increment();
    }

    @Override
    public void replyRefused(ReplyRefusal reason) {
        repliesRefused[reason.ordinal()].increment();
    }

    @Override
    public void batchCommitted(int records, long kafkaCommitNanos) {
        batchSize.record(records);
        kafkaCommit.record(kafkaCommitNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void shardWritten(long sqliteCommitNanos) {
        sqliteCommit.record(sqliteCommitNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void restoreProgress(int partition, long restoredSoFar, long remaining) {
        if (partition >= 0 && partition < restored.length()) {
            restored.set(partition, restoredSoFar);
            restoreRemaining.set(partition, remaining);
        }
    }
}
