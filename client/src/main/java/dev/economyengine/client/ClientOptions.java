package dev.economyengine.client;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/** What an {@link EconomyClient} is built from, checked once: a bad field is named in the message. */
record ClientOptions(String bootstrapServers, Map<String, Object> kafkaProperties, String earnTopic,
        String spendTopic, String balanceChangedTopic, String clientId, Duration attemptTimeout, Duration deadline) {
    static final String REPLY_TOPIC_PREFIX = "economy.replies.";
    /** Kafka's legal topic characters, as the reply topic is named after the client id. */
    private static final Pattern LEGAL_CLIENT_ID = Pattern.compile("[A-Za-z0-9._-]{1,200}");

    ClientOptions {
        requireText(bootstrapServers, "bootstrapServers");
        kafkaProperties = Map.copyOf(Objects.requireNonNull(kafkaProperties, "kafkaProperties"));
        requireText(earnTopic, "earnTopic");
        requireText(spendTopic, "spendTopic");
        requireText(balanceChangedTopic, "balanceChangedTopic");
        Objects.requireNonNull(clientId, "clientId");
        if (!LEGAL_CLIENT_ID.matcher(clientId).matches()) {
            throw new IllegalArgumentException("clientId must be 1 to 200 of [A-Za-z0-9._-] (it names the reply "
                    + "topic), was '" + clientId + "'");
        }
        Objects.requireNonNull(attemptTimeout, "attemptTimeout");
        Objects.requireNonNull(deadline, "deadline");
        if (attemptTimeout.isNegative() || attemptTimeout.isZero()) {
            throw new IllegalArgumentException("attemptTimeout must be positive, was " + attemptTimeout);
        }
        if (deadline.compareTo(attemptTimeout) < 0) {
            throw new IllegalArgumentException("deadline must be at least attemptTimeout (" + attemptTimeout
                    + "), was " + deadline);
        }
    }

    /** One topic per client instance, which the worker's default {@code reply.topic-pattern} accepts. */
    String replyTopic() {
        return REPLY_TOPIC_PREFIX + clientId;
    }

    private static void requireText(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be empty");
        }
    }
}
