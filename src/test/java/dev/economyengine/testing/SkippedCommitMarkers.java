package dev.economyengine.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.LoggerFactory;

/**
 * Watches an in-process broker for a defect of Kafka's own (seen with 4.4). When the only broker of a
 * cluster shuts down in a controlled way, the controller leaves its partitions without a leader while
 * the broker still serves; a commit its transaction coordinator handles in that moment looks up each
 * partition's leader to send the commit marker to, finds none, takes the partitions for deleted ones,
 * skips their markers and records the transaction complete. The transaction then stays open on those
 * partitions for good: read_committed readers stop at it, the worker included, until an operator
 * steps in. The coordinator logs it (at INFO, which the tests' log configuration otherwise hides).
 */
public final class SkippedCommitMarkers implements AutoCloseable {
    private static final String COORDINATOR_LOGGER = "kafka.coordinator.transaction.TransactionMarkerChannelManager";
    private static final String SKIPPED = "Couldn't find leader endpoint for partitions";

    private final Logger logger = (Logger) LoggerFactory.getLogger(COORDINATOR_LOGGER);
    private final Level levelBefore = logger.getLevel();
    private final AtomicReference<String> first = new AtomicReference<>();
    private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
            if (event.getFormattedMessage().contains(SKIPPED)) {
                first.compareAndSet(null, event.getFormattedMessage());
            }
        }
    };

    private SkippedCommitMarkers() {
        appender.setName("skipped-commit-markers");
        appender.setContext(logger.getLoggerContext());
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(Level.INFO);
    }

    public static SkippedCommitMarkers watch() {
        return new SkippedCommitMarkers();
    }

    /** The coordinator's message, if it has skipped markers since the watch began. */
    public Optional<String> seen() {
        return Optional.ofNullable(first.get());
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        logger.setLevel(levelBefore);
        appender.stop();
    }
}
