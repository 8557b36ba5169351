package dev.economyengine.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.economyengine.ledger.ResultCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the worker answered to each kind of request of a backlog (accepted, limit reached, short of
 * balance, duplicate...), so that a reader knows what the throughput was measured on. Read from the
 * results topic once the throughput is measured, never during it: parsing every result would take CPU
 * from the worker being measured.
 *
 * @param counts per kind of request, the number of results per outcome: the result's code, or
 *     {@value #DUPLICATE} for a duplicate's replayed result
 */
record MixOutcomes(Map<RequestMix.Kind, Map<String, Long>> counts) {
    static final String DUPLICATE = "duplicate";
    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Each kind's outcomes in the order of {@link ResultCode}, OK first, and duplicates last. */
    MixOutcomes {
        Map<RequestMix.Kind, Map<String, Long>> copy = new EnumMap<>(RequestMix.Kind.class);
        counts.forEach((kind, outcomes) -> {
            Map<String, Long> ordered = new LinkedHashMap<>();
            for (ResultCode code : ResultCode.values()) {
                addIfPresent(ordered, outcomes, code.name());
            }
            addIfPresent(ordered, outcomes, DUPLICATE);
            if (!ordered.keySet().equals(outcomes.keySet())) {
                throw new IllegalArgumentException("outcomes that are no result code: " + outcomes.keySet());
            }
            copy.put(kind, Collections.unmodifiableMap(ordered));
        });
        counts = Collections.unmodifiableMap(copy);
    }

    private static void addIfPresent(Map<String, Long> ordered, Map<String, Long> outcomes, String outcome) {
        Long count = outcomes.get(outcome);
        if (count != null) {
            ordered.put(outcome, count);
        }
    }

    /**
     * Reads the results of the first {@code requests} requests of {@code mix}, which the worker has
     * already answered, and counts them by kind and outcome.
     */
    static MixOutcomes read(BenchWorld world, RequestMix mix, int requests) throws InterruptedException {
        RequestMix.Kind[] kindByNumber = kindsByNumber(mix.again(), requests);
        Map<RequestMix.Kind, Map<String, Long>> counts = new EnumMap<>(RequestMix.Kind.class);
        String prefix = mix.requestIdPrefix();
        // The sink runs on the watcher's thread only; awaitAll's latch hands the counts over.
        OutputWatcher.Sink count = (record, seenNanos) -> {
            JsonNode result = parse(record.value());
            RequestMix.Kind kind = kindByNumber[Integer.parseInt(result.get("requestId").asText().substring(
                    prefix.length()))];
            String outcome = result.get("duplicate").asBoolean() ? DUPLICATE : result.get("code").asText();
            counts.computeIfAbsent(kind, k -> new HashMap<>()).merge(outcome, 1L, Long::sum);
        };
        try (OutputWatcher results = new OutputWatcher(world, world.topics().results(), false, requests, count)) {
            results.awaitAll(TIMEOUT);
        }
        return new MixOutcomes(counts);
    }

    /** The kind of each fresh request of the mix, by the number its id ends in. */
    private static RequestMix.Kind[] kindsByNumber(RequestMix mix, int requests) {
        RequestMix.Kind[] kinds = new RequestMix.Kind[requests];
        for (int i = 0; i < requests; i++) {
            RequestMix.RequestRecord request = mix.next();
            kinds[Integer.parseInt(request.requestId().substring(mix.requestIdPrefix().length()))] = request.kind();
        }
        return kinds;
    }

    private static JsonNode parse(byte[] value) {
        try {
            return JSON.readTree(value);
        } catch (IOException e) {
            throw new UncheckedIOException("a result that is not JSON", e);
        }
    }

    /** Results of that kind in all. */
    long requests(RequestMix.Kind kind) {
        return counts.getOrDefault(kind, Map.of()).values().stream().mapToLong(Long::longValue).sum();
    }
}
