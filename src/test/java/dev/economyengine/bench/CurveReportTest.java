package dev.economyengine.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.economyengine.messaging.CommitPolicy;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** The curve's table and JSON, from figures made up for the purpose: no broker, no worker. */
class CurveReportTest {
    private static final CurveReport.Context EXTERNAL = new CurveReport.Context(2, "17", BenchBroker.Kind.EXTERNAL,
            12, 10_000, 5000, 0, 20, 60, 1.0, 2.0);

    @Test
    void table_hasARowPerRate_withTheWorkersAndThePassthroughsFiguresSideBySide() {
        CurveReport report = new CurveReport(EXTERNAL, new CommitPolicy(Duration.ofMillis(5), 2000), Optional.empty(),
                List.of(point(1000, 1000, 1000), point(20_000, 12_000, 20_000)));

        List<String> lines = report.table().lines().toList();

        String header = lines.stream().filter(line -> line.startsWith("requests/s")).findFirst().orElseThrow();
        assertThat(columns(header)).containsExactly("requests/s", "p50", "ms", "p99", "ms", "max", "ms", "cpu",
                "µs/req", "broker", "µs/req", "p50", "ms", "p99", "ms", "max", "ms", "cpu", "µs/req", "broker",
                "µs/req");
        List<String> rows = lines.subList(lines.indexOf(header) + 1, lines.indexOf(header) + 3);
        assertThat(columns(rows.get(0))).containsExactly("1,000", "5.0", "12.0", "30.0", "50.0", "n/a", "5.0", "12.0",
                "30.0", "50.0", "n/a");
        assertThat(columns(rows.get(1))).as("a rate the producer did not reach is marked").first()
                .isEqualTo("20,000*");
        assertThat(report.table()).contains("a commit once a transaction holds 2,000 records or its oldest has waited"
                + " 5 ms").contains("n/a: an external broker").contains("*: the paced producer sent less than 98%");
    }

    @Test
    void json_hasEveryPoint_andNullWhereTheBrokersCpuIsUnknown() {
        CurveReport report = new CurveReport(EXTERNAL, CommitPolicy.EVERY_POLL, Optional.empty(),
                List.of(point(1000, 1000, 1000), point(2000, 2000, 2000)));

        JsonNode json = report.json();

        assertThat(json.at("/curve")).hasSize(2);
        assertThat(json.at("/curve/1/requestsPerSecond").asInt()).isEqualTo(2000);
        for (String side : List.of("worker", "passthrough")) {
            assertThat(json.at("/curve/0/" + side + "/p99Millis").asDouble()).isEqualTo(12.0);
            assertThat(json.at("/curve/0/" + side + "/ownCpuMicrosPerRequest").asDouble()).isEqualTo(50.0);
            assertThat(json.at("/curve/0/" + side + "/brokerCpuMicrosPerRequest").isNull()).isTrue();
        }
        assertThat(json.at("/commitPolicy/maxRecords").asInt()).isEqualTo(1);
        assertThat(json.at("/backlog").isNull()).isTrue();
        assertThat(report.table()).contains("a commit per poll");
    }

    /** 20,000 requests measured, 1 CPU s of the part's own threads: 50 µs/request. */
    private static CurveReport.Point point(int rate, double workerSent, double passthroughSent) {
        return new CurveReport.Point(rate, figures(rate, workerSent), figures(rate, passthroughSent));
    }

    private static LatencyProbe.Figures figures(int rate, double sent) {
        return new LatencyProbe.Figures(rate, false, 5, sent, 20_000, 5.0, 12.0, 30.0,
                new CpuSplit(new ProcessCpu.Used(2.0, 0.1), OptionalDouble.of(1.0), OptionalDouble.empty()));
    }

    private static List<String> columns(String line) {
        return Arrays.asList(line.trim().split("\\s+"));
    }
}
