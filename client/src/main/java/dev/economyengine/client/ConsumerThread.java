package dev.economyengine.client;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.WakeupException;

/**
 * A consumer read on a thread of its own, each record handed to a handler, until stopped: the reply
 * reader's and the balance subscriptions' loop. A failed poll is logged and tried again after a pause;
 * the consumer is used by this thread alone once started, but for {@link #stop}'s wakeup, and closed
 * by it when the loop ends.
 */
final class ConsumerThread {
    // System.Logger, not slf4j: the client depends on kafka-clients and Jackson alone.
    private static final System.Logger LOG = System.getLogger(ConsumerThread.class.getName());
    private static final Duration POLL_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration BACKOFF = Duration.ofSeconds(1);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> consumer;
    private final String reading;
    private final Consumer<ConsumerRecord<byte[], byte[]>> handler;
    private final Thread thread;
    private volatile boolean running = true;

    /** @param reading what the consumer reads, for the thread's name and the log, such as "replies" */
    ConsumerThread(org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> consumer, String reading, String topic,
            Consumer<ConsumerRecord<byte[], byte[]>> handler) {
        this.consumer = consumer;
        this.reading = reading;
        this.handler = handler;
        this.thread = new Thread(this::run, "economy-client-" + reading + "-" + topic);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void run() {
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
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL_TIMEOUT)) {
                handler.accept(record);
            }
        } catch (WakeupException e) {
            // stop() asked; the loop's condition ends it.
        } catch (KafkaException e) {
            LOG.log(Level.WARNING, "Reading {0} failed; retrying in {1}: {2}", reading, BACKOFF, e.toString());
            try {
                Thread.sleep(BACKOFF.toMillis());
            } catch (InterruptedException interrupted) {
                running = false;
            }
        }
    }

    /** Ends the loop and waits for it, unless called from the handler itself. */
    void stop() {
        running = false;
        consumer.wakeup();
        if (Thread.currentThread() != thread) {
            try {
                thread.join(STOP_TIMEOUT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
