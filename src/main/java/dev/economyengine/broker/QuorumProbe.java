package dev.economyengine.broker;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeMetadataQuorumOptions;
import org.apache.kafka.clients.admin.QuorumInfo;

/**
 * Asks the embedded broker, in the background, to describe its metadata quorum, and says whether it
 * answered lately. The question goes through the broker's listener and request threads to its Raft client,
 * so a broker whose Raft thread has died or is stuck stops answering it (a describeCluster would still be
 * answered from the broker's metadata cache). Readiness reads the last answer and never waits for Kafka.
 */
final class QuorumProbe implements AutoCloseable {
    private final Admin admin;
    private final Duration interval;
    private final Duration staleAfter;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "embedded-kafka-health");
        thread.setDaemon(true);
        return thread;
    });
    private volatile long lastAnswered = System.nanoTime();
    private volatile String lastProblem = "no answer yet";

    /**
     * @param interval how often to ask; each question waits at most this long
     * @param staleAfter how long without an answer before the broker counts as unhealthy; longer than
     *     {@code interval}, so that one slow answer on a busy machine does not flip readiness
     */
    QuorumProbe(String bootstrapServers, Duration interval, Duration staleAfter) {
        this.interval = interval;
        this.staleAfter = staleAfter;
        int timeoutMs = Math.toIntExact(interval.toMillis());
        this.admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                // One question at a time, each given up after one interval: the next one asks again.
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs,
                // The broker is on loopback: a lost connection is retried soon, and found dead soon.
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, timeoutMs));
    }

    /** Starts asking; the broker counts as healthy until {@code staleAfter} passes without an answer. */
    void start() {
        lastAnswered = System.nanoTime();
        scheduler.scheduleWithFixedDelay(this::ask, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Empty while the broker answers; otherwise what is wrong, in words. */
    Optional<String> problem() {
        long silentNanos = System.nanoTime() - lastAnswered;
        if (silentNanos <= staleAfter.toNanos()) {
            return Optional.empty();
        }
        return Optional.of("embedded Kafka broker has not answered for "
                + TimeUnit.NANOSECONDS.toSeconds(silentNanos) + " s: " + lastProblem);
    }

    private void ask() {
        try {
            QuorumInfo quorum = admin.describeMetadataQuorum(new DescribeMetadataQuorumOptions()
                    .timeoutMs(Math.toIntExact(interval.toMillis())))
                    .quorumInfo().get(interval.toMillis() * 2, TimeUnit.MILLISECONDS);
            if (quorum.leaderId() < 0) {
                lastProblem = "its metadata quorum has no leader";
                return;
            }
            lastAnswered = System.nanoTime();
        } catch (ExecutionException e) {
            lastProblem = String.valueOf(e.getCause());
        } catch (TimeoutException e) {
            lastProblem = "no answer within " + interval.toMillis() + " ms";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // The scheduler stops a task that throws; the probe must go on asking.
            lastProblem = e.toString();
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        admin.close(Duration.ofSeconds(1));
    }
}
