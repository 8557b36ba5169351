package dev.economyengine.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.economyengine.ledger.RequestType;
import dev.economyengine.ledger.Result;
import dev.economyengine.ledger.ResultCode;
import dev.economyengine.ledger.Status;
import dev.economyengine.messaging.WorkerMetrics;
import dev.economyengine.ops.EngineMetrics;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The worker's hooks, as Prometheus text: names, tags and values. */
class EngineMetricsTest {
    private final EngineMetrics metrics = new EngineMetrics(2);
    private final WorkerMetrics worker = metrics.worker();

    @AfterEach
    void close() {
        metrics.close();
    }

    @Test
    void everyWorkerSeries_isThereAtZero_beforeAnyTraffic() {
        String text = metrics.scrape();

        assertThat(text).contains(
                "economy_requests_total{duplicate=\"false\",outcome=\"ACCEPTED\",type=\"EARN\"} 0.0",
                "economy_requests_total{duplicate=\"true\",outcome=\"INVALID_REQUEST\",type=\"SPEND\"} 0.0",
                "economy_dlq_records_total 0.0",
                "economy_batch_size_records_count 0",
                "economy_kafka_commit_seconds_count 0",
                "economy_sqlite_commit_seconds_count 0",
                "economy_restore_remaining_records{partition=\"0\"} 0.0",
                "economy_restore_restored_records{partition=\"1\"} 0.0");
    }

    @Test
    void results_areCountedByTypeOutcomeAndDuplicate() {
        worker.result(result(RequestType.EARN, ResultCode.OK, false));
        worker.result(result(RequestType.EARN, ResultCode.OK, true));
        worker.result(result(RequestType.SPEND, ResultCode.INSUFFICIENT_BALANCE, false));
        worker.result(result(RequestType.SPEND, ResultCode.INSUFFICIENT_BALANCE, false));

        String text = metrics.scrape();

        assertThat(text).contains(
                "economy_requests_total{duplicate=\"false\",outcome=\"ACCEPTED\",type=\"EARN\"} 1.0",
                "economy_requests_total{duplicate=\"true\",outcome=\"ACCEPTED\",type=\"EARN\"} 1.0",
                "economy_requests_total{duplicate=\"false\",outcome=\"INSUFFICIENT_BALANCE\",type=\"SPEND\"} 2.0");
    }

    @Test
    void batchesDeadLettersAndRestores_areRecorded() {
        worker.batchCommitted(40, TimeUnit.MILLISECONDS.toNanos(12));
        worker.shardWritten(TimeUnit.MILLISECONDS.toNanos(3));
        worker.batchCommitted(60, TimeUnit.MILLISECONDS.toNanos(8));
        worker.shardWritten(TimeUnit.MILLISECONDS.toNanos(1));
        worker.deadLettered();
        worker.restoreProgress(1, 700, 300);

        String text = metrics.scrape();

        assertThat(text).contains(
                "economy_batch_size_records_count 2",
                "economy_batch_size_records_sum 100.0",
                "economy_batch_size_records_max 60.0",
                "economy_kafka_commit_seconds_count 2",
                "economy_kafka_commit_seconds_sum 0.02",
                "economy_sqlite_commit_seconds_sum 0.004",
                "economy_dlq_records_total 1.0",
                "economy_restore_restored_records{partition=\"1\"} 700.0",
                "economy_restore_remaining_records{partition=\"1\"} 300.0");
    }

    @Test
    void forwardedRequests_areCountedByRequestTopic_fromZero() {
        try (EngineMetrics withTopics = new EngineMetrics(2, List.of("game.earn", "game.spend"))) {
            assertThat(withTopics.scrape()).contains(
                    "economy_requests_forwarded_total{topic=\"game.earn\"} 0.0",
                    "economy_requests_forwarded_total{topic=\"game.spend\"} 0.0");

            withTopics.worker().forwarded("game.spend");
            withTopics.worker().forwarded("game.spend");

            assertThat(withTopics.scrape()).contains(
                    "economy_requests_forwarded_total{topic=\"game.earn\"} 0.0",
                    "economy_requests_forwarded_total{topic=\"game.spend\"} 2.0");
        }
    }

    @Test
    void forwardedRequest_ofATopicNotNamedUpFront_isCountedToo() {
        worker.forwarded("other.spend");

        assertThat(metrics.scrape()).contains("economy_requests_forwarded_total{topic=\"other.spend\"} 1.0");
    }

    @Test
    void restoreProgress_ofAPartitionBeyondTheCount_isIgnored() {
        worker.restoreProgress(7, 1, 1);

        assertThat(metrics.scrape()).doesNotContain("partition=\"7\"");
    }

    @Test
    void readiness_isAGaugeOfOneOrZero() {
        boolean[] ready = {false};
        metrics.bindReadiness(() -> ready[0]);

        assertThat(metrics.scrape()).contains("economy_worker_ready 0.0");
        ready[0] = true;
        assertThat(metrics.scrape()).contains("economy_worker_ready 1.0");
    }

    @Test
    void cacheHitRatio_isTheSuppliedShare() {
        metrics.bindCacheHitRatio(() -> 0.75);

        assertThat(metrics.scrape()).contains("economy_balance_cache_hit_ratio 0.75");
    }

    private static Result result(RequestType type, ResultCode code, boolean duplicate) {
        boolean accepted = code == ResultCode.OK;
        return new Result("r", "u", type, accepted ? Status.ACCEPTED : Status.REJECTED, code, 5L, "coins", 5,
                accepted ? "tx" : null, accepted ? null : "no", null, null, Instant.EPOCH, duplicate);
    }
}
