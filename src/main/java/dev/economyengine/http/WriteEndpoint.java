package dev.economyengine.http;

import dev.economyengine.http.RequestSubmitter.Answer;
import dev.economyengine.http.RequestSubmitter.Write;
import dev.economyengine.ledger.RequestType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * {@code POST /v1/users/{userId}/earn} and {@code /spend}: checks the token, the wait and the body, hands
 * the request to the {@link RequestSubmitter} and answers with its result (200, whatever the result's
 * status), or with where to find it later (202) when the wait runs out. The answer is written when it is
 * known, from whichever thread knows it: no HTTP thread waits for Kafka.
 */
final class WriteEndpoint {
    static final int MAX_BODY_BYTES = 64 * 1024;
    static final long DEFAULT_WAIT_MS = 5_000;
    static final long MAX_WAIT_MS = 30_000;
    /**
     * How long past the wait the API trusts the submitter to answer; a submitter still silent then (its
     * publish has not been confirmed) gets a 503, and the client sends the request again, safely.
     */
    static final long SUBMITTER_GRACE_MS = 15_000;
    private static final Pattern WHOLE_NUMBER = Pattern.compile("[0-9]{1,9}");

    private final AccessTokens tokens;
    /** Empty when this process has no way to publish writes. */
    private final Optional<RequestSubmitter> submitter;

    WriteEndpoint(AccessTokens tokens, Optional<RequestSubmitter> submitter) {
        this.tokens = tokens;
        this.submitter = submitter;
    }

    /** The write's type if the path is a write route ({@code /v1/users/{userId}/earn|spend}). */
    static Optional<RequestType> route(RequestTarget target) {
        var path = target.segments();
        if (path.size() != 4 || !path.get(0).equals("v1") || !path.get(1).equals("users") || path.get(2).isEmpty()) {
            return Optional.empty();
        }
        return switch (path.get(3)) {
            case "earn" -> Optional.of(RequestType.EARN);
            case "spend" -> Optional.of(RequestType.SPEND);
            default -> Optional.empty();
        };
    }

    /**
     * Answers a write of {@code type} for the user of the path; {@code body} is read only once the token
     * and the wait are accepted.
     */
    CompletableFuture<Reply> write(RequestType type, RequestTarget target, String authorization, long declaredLength,
            Supplier<CompletableFuture<byte[]>> body) {
        Optional<Reply> refused = tokens.refuseWrite(authorization);
        if (refused.isPresent()) {
            return CompletableFuture.completedFuture(refused.get());
        }
        Optional<String> waitText = target.parameter("wait");
        long waitMs = waitText.map(WriteEndpoint::waitMs).orElse(DEFAULT_WAIT_MS);
        if (waitMs < 0) {
            return CompletableFuture.completedFuture(Reply.error(400, "invalid_wait", "wait must be a whole number"
                    + " of milliseconds from 0 to " + MAX_WAIT_MS + ", was '" + waitText.orElse("") + "'"));
        }
        if (submitter.isEmpty()) {
            return CompletableFuture.completedFuture(Reply.error(503, "writes_unavailable",
                    "this worker cannot publish writes"));
        }
        if (declaredLength > MAX_BODY_BYTES) {
            return CompletableFuture.completedFuture(tooLarge());
        }
        String userId = target.segments().get(2);
        // Reading fails only for a body over the limit, or a client gone (which reads no answer anyway).
        return body.get().handle((bytes, failure) -> failure != null ? null : bytes)
                .thenCompose(bytes -> bytes == null ? CompletableFuture.completedFuture(tooLarge())
                        : submit(WriteBody.check(type, userId, bytes), Duration.ofMillis(waitMs)));
    }

    private CompletableFuture<Reply> submit(WriteBody.Checked checked, Duration wait) {
        if (checked instanceof WriteBody.Checked.Invalid invalid) {
            return CompletableFuture.completedFuture(
                    Reply.json(400, JsonBodies.invalidWrite(invalid.field(), invalid.message())));
        }
        Write write = ((WriteBody.Checked.Valid) checked).write();
        CompletableFuture<Answer> answer;
        try {
            answer = submitter.orElseThrow().submit(write, wait);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        // A copy: the timeout is the API's, the submitter's own future is left alone.
        return answer.copy()
                .orTimeout(wait.toMillis() + SUBMITTER_GRACE_MS, TimeUnit.MILLISECONDS)
                .handle((done, failure) -> failure != null ? unpublished(failure) : reply(write, done));
    }

    private static Reply reply(Write write, Answer answer) {
        if (answer instanceof Answer.Decided decided) {
            return Reply.json(200, decided.resultJson());
        }
        String location = "/v1/users/" + pathSegment(write.userId()) + "/requests/" + pathSegment(write.requestId());
        return Reply.json(202, JsonBodies.pending(write.requestId(), write.userId(), location))
                .withHeader("Location", location);
    }

    private static Reply unpublished(Throwable failure) {
        return Reply.error(503, "write_unconfirmed", "the request may not have been published: "
                + rootMessage(failure) + "; send it again with the same requestId, which is safe")
                .withHeader("Retry-After", UserQueries.RETRY_AFTER_SECONDS);
    }

    private static Reply tooLarge() {
        return Reply.error(413, "content_too_large", "the body must be at most " + MAX_BODY_BYTES + " bytes");
    }

    /** The wait in milliseconds, or -1 if the text is not one from 0 to the most. */
    private static long waitMs(String text) {
        if (!WHOLE_NUMBER.matcher(text).matches()) {
            return -1;
        }
        long ms = Long.parseLong(text);
        return ms <= MAX_WAIT_MS ? ms : -1;
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    }

    /** Percent-encodes an id for a path: every byte of its UTF-8 but the unreserved characters. */
    static String pathSegment(String id) {
        StringBuilder encoded = new StringBuilder();
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || c == '-' || c == '.' || c == '_' || c == '~')) {
                encoded.append(c);
            } else {
                encoded.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return encoded.toString();
    }
}
