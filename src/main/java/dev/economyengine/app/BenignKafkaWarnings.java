package dev.economyengine.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.List;
import org.slf4j.Marker;
import org.slf4j.helpers.MessageFormatter;

/**
 * Drops the warnings Kafka logs on every normal start and stop of the embedded broker, so that a warning in
 * the worker's log always means something (logback.xml installs it). Only these exact messages, from these
 * loggers: every other warning of theirs still shows.
 */
public final class BenignKafkaWarnings extends TurboFilter {
    private record Known(String logger, String text) {}

    private static final List<Known> KNOWN = List.of(
            // The first start of a freshly formatted broker: its controller writes the bootstrap records.
            new Known("org.apache.kafka.controller.QuorumController", "The metadata log appears to be empty."),
            // The first start: clients asking for the transaction coordinator again while the broker
            // still creates its internal topic make it try to create that topic again.
            new Known("org.apache.kafka.server.DefaultAutoTopicCreationManager", "with error 'TOPIC_ALREADY_EXISTS'"),
            // A combined broker and controller closes one internal channel twice while it shuts down.
            new Known("org.apache.kafka.clients.NetworkClient",
                    "Attempting to close NetworkClient that has already been closed."));

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (level != Level.WARN || format == null) {
            return FilterReply.NEUTRAL;
        }
        for (Known known : KNOWN) {
            if (logger.getName().equals(known.logger()) && message(format, params).contains(known.text())) {
                return FilterReply.DENY;
            }
        }
        return FilterReply.NEUTRAL;
    }

    private static String message(String format, Object[] params) {
        return params == null || params.length == 0 ? format : MessageFormatter.arrayFormat(format, params).getMessage();
    }
}
