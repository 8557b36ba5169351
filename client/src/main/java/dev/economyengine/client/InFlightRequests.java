package dev.economyengine.client;

import java.lang.System.Logger.Level;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The requests sent and not yet answered, each with its future.
 *
 * <p>Protocol: a request gets a correlation id of its own (16 random bytes) and is published with the
 * reply headers; the worker copies the id onto its answer, and the first answer that carries it
 * completes the future. If none came within the attempt timeout, the SAME record is published again:
 * same requestId, same correlation id. The worker answers a request it has seen with its original
 * result, so a resend never applies anything twice, and whichever answer arrives first is the answer.
 * At the deadline the future fails with a {@link RequestTimeoutException}. An answer for no request in
 * flight (late, after its future completed; or for another instance) is ignored.
 *
 * <p>Concurrency: callers' threads publish and register; one timer thread resends and expires; the
 * reply reader's thread completes. The map is the only shared state, and a future completes once, so
 * the three may race freely: the loser's completion is a no-op.
 */
final class InFlightRequests {
    // System.Logger, not slf4j: the client depends on kafka-clients and Jackson alone.
    private static final System.Logger LOG = System.getLogger(InFlightRequests.class.getName());

    private final Producer<byte[], byte[]> producer;
    private final String replyTopic;
    private final Duration attemptTimeout;
    private final Duration deadline;
    private final Map<UUID, InFlight> byCorrelationId = new ConcurrentHashMap<>();
    private final ScheduledThreadPoolExecutor timer;

    InFlightRequests(Producer<byte[], byte[]> producer, String replyTopic, Duration attemptTimeout, Duration deadline) {
        this.producer = producer;
        this.replyTopic = replyTopic;
        this.attemptTimeout = attemptTimeout;
        this.deadline = deadline;
        this.timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "economy-client-timer-" + replyTopic);
            thread.setDaemon(true);
            return thread;
        });
        // Most requests are answered long before their timer: cancelled timers must not pile up.
        timer.setRemoveOnCancelPolicy(true);
    }

    CompletableFuture<Result> submit(String topic, String requestId, String userId, byte[] body) {
        UUID correlationId = UUID.randomUUID();
        RecordHeaders headers = new RecordHeaders();
        headers.add(ReplyHeaders.REPLY_TOPIC, replyTopic.getBytes(StandardCharsets.UTF_8));
        headers.add(ReplyHeaders.CORRELATION_ID, bytes(correlationId));
        ProducerRecord<byte[], byte[]> record =
                new ProducerRecord<>(topic, null, userId.getBytes(StandardCharsets.UTF_8), body, headers);
        InFlight request = new InFlight(requestId, userId, record, System.nanoTime() + deadline.toNanos());
        byCorrelationId.put(correlationId, request);
        request.future.whenComplete((result, error) -> {
            byCorrelationId.remove(correlationId, request);
            ScheduledFuture<?> next = request.nextAttempt;
            if (next != null) {
                next.cancel(false);
            }
        });
        attempt(request);
        return request.future;
    }

    /** Completes the request a reply answers; ignores a reply for none in flight. */
    void answer(byte[] correlationId, byte[] value) {
        if (correlationId == null || correlationId.length != 16) {
            return;
        }
        InFlight request = byCorrelationId.get(uuid(correlationId));
        if (request == null) {
            return;
        }
        Result result;
        try {
            result = EventJson.result(value);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "Ignored an unreadable answer to request ''{0}'' of user ''{1}'': {2}",
                    request.requestId, request.userId, e.toString());
            return;
        }
        if (!request.requestId.equals(result.requestId()) || !request.userId.equals(result.userId())) {
            LOG.log(Level.WARNING,
                    "Ignored an answer for request ''{0}'' of user ''{1}'' with the correlation id of request ''{2}''",
                    result.requestId(), result.userId(), request.requestId);
            return;
        }
        request.future.complete(result);
    }

    int size() {
        return byCorrelationId.size();
    }

    /** Fails every request still in flight and stops the timer; what comes after is ignored. */
    void failAll(String why) {
        timer.shutdownNow();
        for (InFlight request : byCorrelationId.values()) {
            request.future.completeExceptionally(new IllegalStateException(why + " before request '"
                    + request.requestId + "' of user '" + request.userId + "' was answered; it may yet be applied: "
                    + "look it up at GET /v1/users/" + request.userId + "/requests/" + request.requestId));
        }
    }

    private void attempt(InFlight request) {
        if (request.future.isDone()) {
            return;
        }
        request.attempts++;
        try {
            producer.send(request.record, (metadata, error) -> {
                if (error != null) {
                    failedToSend(request, error);
                }
            });
        } catch (RuntimeException e) {
            failedToSend(request, e);
        }
        long remaining = request.deadlineNanos - System.nanoTime();
        try {
            request.nextAttempt = timer.schedule(() -> attemptTimedOut(request),
                    Math.max(0, Math.min(attemptTimeout.toNanos(), remaining)), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            request.future.completeExceptionally(new IllegalStateException("the EconomyClient is closed", e));
        }
        if (request.future.isDone() && request.nextAttempt != null) {
            request.nextAttempt.cancel(false);
        }
    }

    /** A send that a retry could fix waits for the next attempt; any other fails the request now. */
    private static void failedToSend(InFlight request, Exception error) {
        request.lastError = error;
        if (!(error instanceof RetriableException)) {
            request.future.completeExceptionally(error);
        }
    }

    private void attemptTimedOut(InFlight request) {
        if (request.future.isDone()) {
            return;
        }
        if (System.nanoTime() - request.deadlineNanos >= 0) {
            request.future.completeExceptionally(new RequestTimeoutException(request.requestId, request.userId,
                    deadline, request.attempts, request.lastError));
            return;
        }
        attempt(request);
    }

    private static byte[] bytes(UUID id) {
        return ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits()).array();
    }

    private static UUID uuid(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        return new UUID(buffer.getLong(), buffer.getLong());
    }

    /** One request awaiting its answer. Its attempts and timer are touched by one thread at a time. */
    private static final class InFlight {
        final String requestId;
        final String userId;
        final ProducerRecord<byte[], byte[]> record;
        final long deadlineNanos;
        final CompletableFuture<Result> future = new CompletableFuture<>();
        volatile int attempts;
        volatile ScheduledFuture<?> nextAttempt;
        volatile Exception lastError;

        InFlight(String requestId, String userId, ProducerRecord<byte[], byte[]> record,
                long deadlineNanos) {
            this.requestId = requestId;
            this.userId = userId;
            this.record = record;
            this.deadlineNanos = deadlineNanos;
        }
    }
}
