package dev.economyengine.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLongArray;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * End-to-end latency at a steady rate: a paced producer publishes fresh requests on a fixed schedule
 * to the running worker (or the latency ceiling's passthrough), and a read_committed reader of the
 * results (or copies) notes when each becomes visible. The latency of a request is from just before
 * its {@code send} to that moment. The first seconds at the rate are a warm-up, left out of the
 * figures, until the JIT compilers have settled ({@link WarmUp}): in one short-lived JVM they are
 * still compiling the broker's and the clients' code, which a long-running worker and broker have
 * long done.
 */
final class LatencyProbe {
    private static final byte[] REQUEST_ID_FIELD = "\"requestId\":\"".getBytes(StandardCharsets.UTF_8);
    private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(2);

    private LatencyProbe() {}

    /**
     * Where the paced requests are sent, and the topic read for their answers: a record there whose
     * {@code requestId} is a request's answers it (the worker's result, or the passthrough's copy).
     */
    record Route(String earnTopic, String spendTopic, String answerTopic) {}

    /**
     * One measurement's requests and schedule.
     *
     * @param idPrefix starts the id of every request, followed by its number: unique to the measurement,
     *     since the worker answers a request id it has seen before as a duplicate
     * @param halfOfWorkerRate whether the rate is half the measured throughput, as the target asks
     * @param maxWarmupSeconds the longest warm-up: it ends sooner once the JIT compilers have settled
     * @param seconds how long the measured requests are sent for, after the warm-up
     */
    record Pace(String idPrefix, double ratePerSecond, boolean halfOfWorkerRate, int maxWarmupSeconds, int seconds) {}

    /**
     * @param halfOfWorkerRate whether the rate was half the measured throughput, as the target asks
     * @param warmupSeconds how long the warm-up took (see {@link WarmUp})
     * @param requests the requests measured, after the warm-up's
     * @param cpu from the end of the warm-up to the last answer: the process's (the paced producer and the
     *     reader included), the worker's or the passthrough's threads', and the broker's
     */
    record Figures(double targetPerSecond, boolean halfOfWorkerRate, int warmupSeconds, double sentPerSecond,
            int requests, double p50Millis, double p99Millis, double maxMillis, CpuSplit cpu) {}

    /** The paced requests, one per request id. */
    @FunctionalInterface
    interface RequestSource {
        RequestMix.RequestRecord next(String requestId);
    }

    /** @param meters of what answers the requests (the worker, or the passthrough) and of the broker */
    static Figures run(BenchWorld world, Route route, RequestSource requests, Pace pace, CpuSplit.Meters meters)
            throws InterruptedException {
        double ratePerSecond = pace.ratePerSecond();
        String idPrefix = pace.idPrefix();
        PacedSchedule schedule = new PacedSchedule(pace, meters);
        int capacity = schedule.capacity();
        AtomicLongArray sentAt = new AtomicLongArray(capacity);
        long[] latencies = new long[capacity];
        OutputWatcher.Sink sink = (record, seenNanos) -> {
            int index = requestIndex(record, idPrefix);
            if (index >= 0 && index < capacity) {
                latencies[index] = seenNanos - sentAt.get(index);
            }
        };
        try (OutputWatcher results = new OutputWatcher(world, route.answerTopic(), true, capacity, sink);
                RequestProducer producer = RequestProducer.paced(world, route)) {
            for (int i = 0; schedule.awaitTurn(i); i++) {
                RequestMix.RequestRecord request = requests.next(idPrefix + i);
                sentAt.set(i, System.nanoTime());
                producer.send(request);
            }
            producer.flush();
            results.expect(schedule.sent());
            results.awaitAll(DRAIN_TIMEOUT);
        }
        return schedule.figures(latencies);
    }

    /**
     * The number in a result's {@code requestId} after {@code idPrefix} ("lat-17" is 17 after "lat-"), or -1
     * for a result of another request.
     */
    static int requestIndex(ConsumerRecord<byte[], byte[]> result, String idPrefix) {
        byte[] value = result.value();
        int start = indexOf(value, REQUEST_ID_FIELD);
        if (start < 0) {
            return -1;
        }
        start += REQUEST_ID_FIELD.length;
        int end = start;
        while (end < value.length && value[end] != '"') {
            end++;
        }
        String requestId = new String(value, start, end - start, StandardCharsets.UTF_8);
        if (!requestId.startsWith(idPrefix)) {
            return -1;
        }
        try {
            return Integer.parseInt(requestId.substring(idPrefix.length()));
        } catch (NumberFormatException e) {
            // Another measurement's request whose prefix begins with this one's.
            return -1;
        }
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }


}
