package dev.economyengine.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.economyengine.ledger.RequestType;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/**
 * Time is passed in as explicit nanosecond values, as the worker passes {@code System.nanoTime()}.
 * Records are labelled by topic and timestamp: "E10" is the earn with timestamp 10.
 */
class PartitionMergerTest {

    private static final long MAX_WAIT = 500;
    private static final long T0 = 1_000;

    private final PartitionMerger merger = new PartitionMerger(MAX_WAIT);
    private long nextOffset;

    @Test
    void drain_withBothSidesBuffered_releasesInTimestampOrder() {
        earns(T0, 10, 30, 50);
        spends(T0, 20, 40, 60);

        List<PartitionMerger.Typed> drained = merger.drain(T0, 100);

        // S60 stays: once the earn side is empty it waits for an older earn that may be in flight.
        assertThat(labels(drained)).containsExactly("E10", "S20", "E30", "S40", "E50");
        assertThat(merger.size()).isEqualTo(1);
    }

    @Test
    void drain_withEqualTimestamps_releasesTheEarnFirst() {
        spends(T0, 10, 99);
        earns(T0, 10, 99);

        assertThat(labels(merger.drain(T0, 100))).containsExactly("E10", "S10", "E99");
    }

    @Test
    void drain_whenEarnTimestampsGoBackwards_neverReordersTheEarns() {
        earns(T0, 50, 10);
        spends(T0, 30, 60);

        // E10 is older than S30, but it is behind E50 on its own side, so it cannot overtake it.
        assertThat(labels(merger.drain(T0, 100))).containsExactly("S30", "E50", "E10");
    }

    @Test
    void drain_whenSpendTimestampsGoBackwards_neverReordersTheSpends() {
        earns(T0, 20, 50);
        spends(T0, 40, 5);

        assertThat(labels(merger.drain(T0, 100))).containsExactly("E20", "S40", "S5");
    }

    @Test
    void drain_withOneSideEmpty_holdsARecordUntilItHasWaitedMaxWait() {
        earns(T0, 10);

        assertThat(merger.drain(T0, 100)).isEmpty();
        assertThat(merger.drain(T0 + MAX_WAIT - 1, 100)).isEmpty();
        assertThat(merger.size()).isEqualTo(1);

        assertThat(labels(merger.drain(T0 + MAX_WAIT, 100))).containsExactly("E10");
        assertThat(merger.size()).isZero();
    }

    @Test
    void drain_withOnlySpends_holdsThemUntilTheyHaveWaitedMaxWait() {
        spends(T0, 10, 20);

        assertThat(merger.drain(T0 + MAX_WAIT - 1, 100)).isEmpty();
        assertThat(labels(merger.drain(T0 + MAX_WAIT, 100))).containsExactly("S10", "S20");
    }

    @Test
    void drain_withOneSideEmpty_releasesOnlyTheRecordsThatHaveWaitedLongEnough() {
        earns(T0, 10);
        earns(T0 + 400, 20);

        assertThat(labels(merger.drain(T0 + MAX_WAIT, 100))).containsExactly("E10");
        assertThat(merger.drain(T0 + 400 + MAX_WAIT - 1, 100)).isEmpty();
        assertThat(labels(merger.drain(T0 + 400 + MAX_WAIT, 100))).containsExactly("E20");
    }

    @Test
    void drain_whenAnOlderRecordArrivesOnTheEmptySideDuringTheWait_releasesItFirst() {
        earns(T0, 100);
        assertThat(merger.drain(T0 + 200, 100)).isEmpty();

        spends(T0 + 200, 50);

        assertThat(labels(merger.drain(T0 + 200, 100))).containsExactly("S50");
        assertThat(labels(merger.drain(T0 + MAX_WAIT, 100))).containsExactly("E100");
    }

    @Test
    void drain_withZeroMaxWait_releasesALoneRecordAtOnce() {
        PartitionMerger noWait = new PartitionMerger(0);
        noWait.add(RequestType.SPEND, record("economy.spend.requests", 10), T0);

        assertThat(noWait.drain(T0, 100)).hasSize(1);
        assertThat(noWait.nanosUntilReady(T0)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void drain_acrossTheWrapOfTheNanoClock_measuresTheWaitCorrectly() {
        // System.nanoTime() has an arbitrary origin and may wrap; only differences are meaningful.
        long arrived = Long.MAX_VALUE - 100;
        earns(arrived, 10);
        long justBefore = arrived + MAX_WAIT - 1; // wraps to a negative value
        long ready = arrived + MAX_WAIT;

        assertThat(justBefore).isNegative();
        assertThat(merger.drain(arrived + 50, 100)).isEmpty(); // now not yet wrapped, deadline wrapped
        assertThat(merger.nanosUntilReady(arrived + 50)).isEqualTo(MAX_WAIT - 50);
        assertThat(merger.nanosUntilReady(justBefore)).isEqualTo(1);
        assertThat(merger.drain(justBefore, 100)).isEmpty();
        assertThat(merger.nanosUntilReady(ready)).isZero();
        assertThat(labels(merger.drain(ready, 100))).containsExactly("E10");
    }

    @Test
    void drain_respectsMax() {
        earns(T0, 10, 30, 50);
        spends(T0, 20, 40, 60);

        assertThat(labels(merger.drain(T0, 2))).containsExactly("E10", "S20");
        assertThat(labels(merger.drain(T0, 2))).containsExactly("E30", "S40");
        assertThat(merger.size()).isEqualTo(2);
    }

    @Test
    void drain_withMaxOne_releasesExactlyOne() {
        spends(T0, 10, 20);

        assertThat(labels(merger.drain(T0 + MAX_WAIT, 1))).containsExactly("S10");
        assertThat(merger.size()).isEqualTo(1);
    }

    @Test
    void drain_withMaxZero_releasesNothingAndKeepsEverything() {
        earns(T0, 10);
        spends(T0, 20);

        assertThat(merger.drain(T0 + MAX_WAIT, 0)).isEmpty();
        assertThat(merger.size()).isEqualTo(2);
    }

    @Test
    void drain_whenEmpty_releasesNothing() {
        assertThat(merger.drain(T0, 100)).isEmpty();
        assertThat(merger.size()).isZero();
    }

    @Test
    void drain_returnsTheSameRecordsWithTheTopicTheyCameFrom() {
        ConsumerRecord<byte[], byte[]> earn = record("economy.earn.requests", 10);
        ConsumerRecord<byte[], byte[]> spend = record("economy.spend.requests", 20);
        merger.add(RequestType.SPEND, spend, T0);
        merger.add(RequestType.EARN, earn, T0);

        List<PartitionMerger.Typed> drained = merger.drain(T0 + MAX_WAIT, 100);

        assertThat(drained).containsExactly(
                new PartitionMerger.Typed(RequestType.EARN, earn),
                new PartitionMerger.Typed(RequestType.SPEND, spend));
        assertThat(drained.get(0).record()).isSameAs(earn);
        assertThat(drained.get(1).record()).isSameAs(spend);
    }

    @Test
    void nanosUntilReady_whenEmpty_isForever() {
        assertThat(merger.nanosUntilReady(T0)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void nanosUntilReady_withBothSidesBuffered_isZero() {
        earns(T0, 10);
        spends(T0, 20);

        assertThat(merger.nanosUntilReady(T0)).isZero();
    }

    @Test
    void nanosUntilReady_withOneSideEmpty_isTheRemainingWaitOfItsOldestRecord() {
        earns(T0, 10);
        earns(T0 + 300, 20);

        assertThat(merger.nanosUntilReady(T0)).isEqualTo(MAX_WAIT);
        assertThat(merger.nanosUntilReady(T0 + 200)).isEqualTo(300);
        assertThat(merger.nanosUntilReady(T0 + MAX_WAIT - 1)).isEqualTo(1);
        assertThat(merger.nanosUntilReady(T0 + MAX_WAIT)).isZero();
    }

    @Test
    void nanosUntilReady_longPastTheWait_isZeroNotNegative() {
        spends(T0, 10);

        assertThat(merger.nanosUntilReady(T0 + 10 * MAX_WAIT)).isZero();
    }

    @Test
    void nanosUntilReady_afterTheOldestIsReleased_isTheWaitOfTheNext() {
        spends(T0, 10);
        spends(T0 + 300, 20);

        merger.drain(T0 + MAX_WAIT, 100);

        assertThat(merger.nanosUntilReady(T0 + MAX_WAIT)).isEqualTo(300);
    }

    @Test
    void clear_emptiesBothSides() {
        earns(T0, 10, 30);
        spends(T0, 20);

        merger.clear();

        assertThat(merger.size()).isZero();
        assertThat(merger.drain(T0 + MAX_WAIT, 100)).isEmpty();
        assertThat(merger.nanosUntilReady(T0)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void clear_thenAdd_startsAfresh() {
        earns(T0, 10);
        merger.clear();
        spends(T0 + 100, 5);

        assertThat(merger.nanosUntilReady(T0 + 100)).isEqualTo(MAX_WAIT);
        assertThat(labels(merger.drain(T0 + 100 + MAX_WAIT, 100))).containsExactly("S5");
    }

    private void earns(long arrivedNanos, long... timestamps) {
        for (long timestamp : timestamps) {
            merger.add(RequestType.EARN, record("economy.earn.requests", timestamp), arrivedNanos);
        }
    }

    private void spends(long arrivedNanos, long... timestamps) {
        for (long timestamp : timestamps) {
            merger.add(RequestType.SPEND, record("economy.spend.requests", timestamp), arrivedNanos);
        }
    }

    private ConsumerRecord<byte[], byte[]> record(String topic, long timestamp) {
        return new ConsumerRecord<>(topic, 0, nextOffset++, timestamp, TimestampType.CREATE_TIME, 0, 0,
                new byte[0], new byte[0], new RecordHeaders(), Optional.empty());
    }

    private static List<String> labels(List<PartitionMerger.Typed> drained) {
        return drained.stream()
                .map(typed -> (typed.type() == RequestType.EARN ? "E" : "S") + typed.record().timestamp())
                .toList();
    }
}
