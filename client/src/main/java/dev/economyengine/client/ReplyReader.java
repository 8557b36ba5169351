package dev.economyengine.client;

import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads the reply topic on a thread of its own and hands every answer to the requests in flight. Its
 * position is taken when it is built, before any request is sent, so no answer can come before it.
 */
final class ReplyReader {
    private final ConsumerThread thread;

    ReplyReader(Consumer<byte[], byte[]> consumer, String replyTopic, InFlightRequests inFlight) {
        TopicPartition partition = new TopicPartition(replyTopic, 0);
        consumer.assign(List.of(partition));
        consumer.seekToEnd(List.of(partition));
        // seekToEnd is lazy: position() fixes it now, while nothing has been sent.
        consumer.position(partition);
        this.thread = new ConsumerThread(consumer, "replies", replyTopic, reply ->
                inFlight.answer(ReplyHeaders.correlationId(reply.headers()).orElse(null), reply.value()));
    }

    void start() {
        thread.start();
    }

    void stop() {
        thread.stop();
    }
}
