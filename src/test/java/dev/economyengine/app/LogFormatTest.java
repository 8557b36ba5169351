package dev.economyengine.app;

import static net.logstash.logback.argument.StructuredArguments.kv;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.read.ListAppender;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.status.Status;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import net.logstash.logback.encoder.LoggingEventCompositeJsonEncoder;
import org.junit.jupiter.api.AfterEach;
import org.slf4j.event.KeyValuePair;
import org.junit.jupiter.api.Test;

/** The shipped logback.xml, loaded into a logger context of the test's own (tests log with logback-test.xml). */
class LogFormatTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LoggerContext context = new LoggerContext();

    @AfterEach
    void stop() {
        context.stop();
    }

    @Test
    void json_isOneParseableObjectPerLine_withTheFieldsOperatorsSearchBy() throws Exception {
        configure("json");
        Logger logger = context.getLogger("dev.economyengine.messaging.Worker");
        LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, Level.ERROR,
                "batch failed for shard {}: {}", new IllegalStateException("disk full"),
                new Object[] {kv("partition", 3), "retrying"});
        event.setMDCPropertyMap(Map.of("requestId", "r-17"));
        event.addKeyValuePair(new KeyValuePair("userId", "alice"));

        String line = encode(event);

        assertThat(line).endsWith("\n");
        assertThat(line.strip()).doesNotContain("\n");
        JsonNode json = JSON.readTree(line);
        assertThat(json.get("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(json.get("level").asText()).isEqualTo("ERROR");
        assertThat(json.get("logger").asText()).isEqualTo("dev.economyengine.messaging.Worker");
        assertThat(json.get("thread").asText()).isEqualTo(Thread.currentThread().getName());
        assertThat(json.get("message").asText()).isEqualTo("batch failed for shard partition=3: retrying");
        assertThat(json.get("partition").asInt()).isEqualTo(3);
        assertThat(json.get("requestId").asText()).isEqualTo("r-17");
        assertThat(json.get("userId").asText()).isEqualTo("alice");
        assertThat(json.get("stack_trace").asText()).startsWith("java.lang.IllegalStateException: disk full")
                .contains("at dev.economyengine.app.LogFormatTest");
        assertThat(json.fieldNames()).toIterable().startsWith("timestamp", "level", "logger", "thread", "message")
                .doesNotContain("@version", "level_value");
    }

    @Test
    void json_isTheDefault_whenNothingChoosesAFormat() throws Exception {
        configure(null);

        assertThat(rootEncoder()).isInstanceOf(LoggingEventCompositeJsonEncoder.class);
    }

    @Test
    void text_isOnePlainLinePerEvent() throws Exception {
        configure("text");
        Logger logger = context.getLogger("dev.economyengine.app.EconomyEngine");
        LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, Level.INFO, "started: group {}", null,
                new Object[] {"economy-engine"});

        String line = encode(event);

        assertThat(rootEncoder()).isInstanceOf(PatternLayoutEncoder.class);
        assertThat(line).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  \\[.*\\] dev\\.economyengine\\.app\\.EconomyEngine - "
                + "started: group economy-engine\\R");
    }

    @Test
    void eachTarget_isTheConsoleStreamMainChose() throws Exception {
        context.putProperty(Main.LOG_TARGET_PROPERTY, "System.err");
        configure("text");

        var appender = (ConsoleAppender<ILoggingEvent>) context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().next();

        assertThat(appender.getTarget()).isEqualTo("System.err");
    }

    @Test
    void kafkaClients_logOnlyWarningsAndErrors_soTheirConfigurationDumpIsNotLogged() throws Exception {
        configure("json");

        assertThat(context.getLogger("org.apache.kafka.clients.producer.ProducerConfig").isInfoEnabled()).isFalse();
        assertThat(context.getLogger("org.apache.kafka").isWarnEnabled()).isTrue();
    }

    @Test
    void kafkasWarningsOfANormalStartAndStop_areDropped_andItsOtherWarningsKept() throws Exception {
        configure("json");
        ListAppender<ILoggingEvent> seen = new ListAppender<>();
        seen.start();
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(seen);

        context.getLogger("org.apache.kafka.controller.QuorumController").warn("[QuorumController id=1] Performing"
                + " controller activation. The metadata log appears to be empty. Appending 6 bootstrap record(s)");
        context.getLogger("org.apache.kafka.clients.NetworkClient").warn("[NodeToControllerChannelManager id=1"
                + " name=registration] Attempting to close NetworkClient that has already been closed.");
        context.getLogger("org.apache.kafka.server.DefaultAutoTopicCreationManager").warn("Auto topic creation failed"
                + " for __transaction_state with error 'TOPIC_ALREADY_EXISTS': Topic '__transaction_state' already"
                + " exists..");
        context.getLogger("org.apache.kafka.clients.NetworkClient").warn("[Consumer clientId=c] Connection to node 1"
                + " could not be established. Node may not be available.");
        context.getLogger("org.apache.kafka.controller.QuorumController").warn("{} appears to be empty.", "A log");

        assertThat(seen.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                "[Consumer clientId=c] Connection to node 1 could not be established. Node may not be available.",
                "A log appears to be empty.");
    }

    private void configure(String format) throws JoranException {
        if (format != null) {
            // As Main sets it; a context property is looked up before system properties and the environment.
            context.putProperty(Main.LOG_FORMAT_PROPERTY, format);
        }
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        URL config = LogFormatTest.class.getResource("/logback.xml");
        assertThat(config).as("logback.xml on the class path").isNotNull();
        configurator.doConfigure(config);
        assertNoWarningsWhileConfiguring();
    }

    /** The encoder of the root logger's one appender. */
    private Encoder<ILoggingEvent> rootEncoder() {
        var appenders = context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders();
        var appender = (ConsoleAppender<ILoggingEvent>) appenders.next();
        assertThat(appenders.hasNext()).as("exactly one appender").isFalse();
        assertThat(appender.isStarted()).isTrue();
        return appender.getEncoder();
    }

    private String encode(ILoggingEvent event) {
        return new String(rootEncoder().encode(event), StandardCharsets.UTF_8);
    }

    /** Logback reports configuration problems as status messages rather than exceptions. */
    private void assertNoWarningsWhileConfiguring() {
        assertThat(context.getStatusManager().getCopyOfStatusList())
                .filteredOn(status -> status.getLevel() >= Status.WARN)
                .as("logback's warnings and errors").isEmpty();
    }
}
