package dev.economyengine.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A service that names a bad reply topic on every request gets one log line a minute, not one per request. */
class ReplyWarningsTest {
    private final AtomicLong nanos = new AtomicLong();
    private final ReplyWarnings warnings = new ReplyWarnings(nanos::get);
    private final Logger logger = (Logger) LoggerFactory.getLogger(ReplyWarnings.class);
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    @BeforeEach
    void listen() {
        logged.start();
        logger.addAppender(logged);
    }

    @AfterEach
    void stopListening() {
        logger.detachAppender(logged);
    }

    @Test
    void sameTopicAndReason_isLoggedOnceAMinute_anotherTopicOrReasonAtOnce() {
        for (int i = 0; i < 100; i++) {
            warnings.refused("economy.replies.gone", ReplyRefusal.MISSING_TOPIC);
        }
        warnings.refused("economy.replies.gone", ReplyRefusal.BAD_PARTITION);
        warnings.refused("economy.replies.other", ReplyRefusal.MISSING_TOPIC);
        assertThat(logged.list).hasSize(3);

        nanos.addAndGet(ReplyWarnings.INTERVAL.minus(Duration.ofMillis(1)).toNanos());
        warnings.refused("economy.replies.gone", ReplyRefusal.MISSING_TOPIC);
        assertThat(logged.list).hasSize(3);
        nanos.addAndGet(Duration.ofMillis(1).toNanos());
        warnings.refused("economy.replies.gone", ReplyRefusal.MISSING_TOPIC);
        assertThat(logged.list).hasSize(4);
    }

    @Test
    void logLine_namesTopicAndReason_withoutTheControlCharactersAHeaderMayCarry() {
        warnings.refused("economy.replies.x\nFAKE LOG LINE", ReplyRefusal.PATTERN);

        String line = logged.list.get(0).getFormattedMessage();
        assertThat(line).contains("'economy.replies.x?FAKE LOG LINE'", "(pattern)").doesNotContain("\n");
    }
}
