package dev.economyengine.client;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Reads the reply topic on a thread of its own and hands every answer to the requests in flight. Its
 * position is taken when it is built, before any request is sent, so no answer can come before it.
 * The consumer is used by this thread alone once started, but for {@link #stop}'s wakeup.
 */
final class ReplyReader implements Runnable {
    // System.Logger, not slf4j: the client depends on kafka-clients and Jackson alone.
    private static final System.Logger LOG = System.getLogger(ReplyReader.class.getName());
    private static final Duration POLL_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration BACKOFF = Duration.ofSeconds(1);

    private final Consumer<byte[], byte[]> consumer;
    private final InFlightRequests inFlight;
    private final Thread thread;
    private volatile boolean running = true;

    ReplyReader(Consumer<byte[], byte[]> consumer, String replyTopic, InFlightRequests inFlight) {
        this.consumer = consumer;
        this.inFlight = inFlight;
        TopicPartition partition = new TopicPartition(replyTopic, 0);
        consumer.assign(List.of(partition));
        consumer.seekToEnd(List.of(partition));
        // seekToEnd is lazy: position() fixes it now, while nothing has been sent.
        consumer.position(partition);
        this.thread = new Thread(this, "economy-client-replies-" + replyTopic);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    @Override
    public void run() {
        try {
            while (running) {
                pollOnce();
            }
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ZERO));
        }
    }

    private void pollOnce() {
        try {
            for (ConsumerRecord<byte[], byte[]> reply : consumer.poll(POLL_TIMEOUT)) {
                inFlight.answer(ReplyHeaders.correlationId(reply.headers()).orElse(null), reply.value());
            }
        } catch (WakeupException e) {
            // stop() asked; the loop's condition ends it.
        } catch (KafkaException e) {
            LOG.log(Level.WARNING, "Reading the reply topic failed; retrying in {0}: {1}", BACKOFF, e.toString());
            try {
                Thread.sleep(BACKOFF.toMillis());
            } catch (InterruptedException interrupted) {
                running = false;
            }
        }
    }

    void stop() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
