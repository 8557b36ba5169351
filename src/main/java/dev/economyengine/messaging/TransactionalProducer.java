package dev.economyengine.messaging;

import java.time.Duration;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lane's transactional producer, through its life: none yet, ready (initTransactions done, which
 * fences any earlier incarnation with the same transactional.id and decides the transaction it left
 * open), and dropped when a transaction can be neither committed nor aborted, to be made again. Making
 * one is retried with a growing backoff while Kafka cannot be reached. Poll loop thread only, except
 * that the producer it hands out is thread-safe.
 */
final class TransactionalProducer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TransactionalProducer.class);
    private static final long BACKOFF_BASE_NANOS = Duration.ofMillis(100).toNanos();
    private static final long BACKOFF_MAX_NANOS = Duration.ofSeconds(5).toNanos();

    private final Supplier<Producer<byte[], byte[]>> factory;
    private Producer<byte[], byte[]> producer;
    private int failedStarts;
    private long nextStartNanos = System.nanoTime();

    TransactionalProducer(Supplier<Producer<byte[], byte[]>> factory) {
        this.factory = factory;
    }

    /**
     * Makes a producer if there is none and its backoff is over; returns whether one is ready.
     *
     * @throws ProducerFencedException if a newer incarnation of this worker has started
     */
    boolean tryStart() {
        if (producer != null) {
            return true;
        }
        if (System.nanoTime() - nextStartNanos < 0) {
            return false;
        }
        Producer<byte[], byte[]> created = factory.get();
        try {
            created.initTransactions();
            producer = created;
            failedStarts = 0;
            return true;
        } catch (ProducerFencedException e) {
            created.close(Duration.ZERO);
            throw e;
        } catch (KafkaException e) {
            created.close(Duration.ZERO);
            long backoff = Math.min(BACKOFF_MAX_NANOS, BACKOFF_BASE_NANOS << Math.min(failedStarts, 16));
            failedStarts++;
            nextStartNanos = System.nanoTime() + backoff;
            log.warn("cannot start the transactional producer yet ({}); trying again in {} ms", e.toString(),
                    backoff / 1_000_000);
            return false;
        }
    }

    boolean ready() {
        return producer != null;
    }

    /** The ready producer; call {@link #tryStart} first. */
    Producer<byte[], byte[]> get() {
        if (producer == null) {
            throw new IllegalStateException("no transactional producer is ready");
        }
        return producer;
    }

    /**
     * Aborts the open transaction after a failed batch. A producer that cannot abort (a commit that timed
     * out can only be retried) is dropped: the next one's initTransactions decides what it left open.
     */
    void abort(RuntimeException cause) {
        if (producer == null || cause instanceof ProducerFencedException) {
            return;
        }
        try {
            producer.abortTransaction();
        } catch (KafkaException | IllegalStateException e) {
            log.warn("cannot abort the transaction ({}); replacing the producer", e.toString());
            producer.close(Duration.ZERO);
            producer = null;
        }
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.close();
            producer = null;
        }
    }
}
