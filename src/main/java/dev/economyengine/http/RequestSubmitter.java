package dev.economyengine.http;

import dev.economyengine.ledger.RequestType;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * All the HTTP writes need of the worker: publish one request and wait a while for its result. The
 * application implements it with the same request/reply client a game service uses, so that this package
 * knows nothing of Kafka.
 */
public interface RequestSubmitter {
    /**
     * Publishes the request and completes with its result, or with {@link Answer.Pending} once
     * {@code wait} has passed without one, but never before the request itself is published: a PENDING
     * answer promises that the request will be decided. Completes exceptionally when the request could
     * not be published.
     */
    CompletableFuture<Answer> submit(Write write, Duration wait);

    /**
     * A write the API has checked: the worker can read it, and it is for the user of its path.
     *
     * @param json the request as the worker reads it from the request topic (UTF-8), {@code userId} included
     */
    record Write(RequestType type, String userId, String requestId, byte[] json) {
        public Write {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(userId, "userId");
            Objects.requireNonNull(requestId, "requestId");
            Objects.requireNonNull(json, "json");
        }
    }

    /** How a submitted write ended for its caller. */
    sealed interface Answer {
        /** The worker's result event for the request, as JSON, whatever its status. */
        record Decided(byte[] resultJson) implements Answer {
            public Decided {
                Objects.requireNonNull(resultJson, "resultJson");
            }
        }

        /** Published, not answered within the wait: the result can be read later. */
        record Pending() implements Answer {}
    }
}
