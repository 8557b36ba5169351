package dev.economyengine.http;

import dev.economyengine.http.RequestSubmitter.Answer;
import dev.economyengine.http.RequestSubmitter.Write;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * Stands in for the worker behind the HTTP writes, for tests of the API alone: it records every write and
 * its wait, and answers as the test says (by default with a fixed result naming the request). The writes'
 * path through Kafka and the worker is tested end to end elsewhere.
 */
final class ScriptedSubmitter implements RequestSubmitter {
    final List<Write> writes = new CopyOnWriteArrayList<>();
    final List<Duration> waits = new CopyOnWriteArrayList<>();
    volatile Function<Write, CompletableFuture<Answer>> answer =
            write -> CompletableFuture.completedFuture(new Answer.Decided(result(write)));

    @Override
    public CompletableFuture<Answer> submit(Write write, Duration wait) {
        writes.add(write);
        waits.add(wait);
        return answer.apply(write);
    }

    String body(int index) {
        return new String(writes.get(index).json(), StandardCharsets.UTF_8);
    }

    /** A result event as the worker would write it, accepted. */
    static byte[] result(Write write) {
        return ("{\"requestId\":\"" + write.requestId() + "\",\"userId\":\"" + write.userId() + "\",\"type\":\""
                + write.type() + "\",\"status\":\"ACCEPTED\",\"code\":\"OK\",\"amount\":10,\"currency\":\"coins\","
                + "\"balance\":10,\"transactionId\":\"0-1\",\"duplicate\":false,"
                + "\"processedAt\":\"2026-11-24T11:23:55.869Z\",\"message\":null,\"nextAllowedAt\":null,"
                + "\"metadata\":null}").getBytes(StandardCharsets.UTF_8);
    }
}
