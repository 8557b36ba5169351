package dev.economyengine.client;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The client instance's own reply topic: one partition, created if missing, deleted on close only if this
 * instance created it (a topic set up by an operator, or still used by a client of the same id, stays).
 */
final class ReplyTopic {
    // System.Logger, not slf4j: the client depends on kafka-clients and Jackson alone.
    private static final System.Logger LOG = System.getLogger(ReplyTopic.class.getName());
    /** An answer is read within the request's deadline or never: an hour of retention is plenty. */
    private static final Duration RETENTION = Duration.ofHours(1);
    private static final long ADMIN_TIMEOUT_SECONDS = 30;

    private final Admin admin;
    private final String name;
    private final boolean createdHere;

    private ReplyTopic(Admin admin, String name, boolean createdHere) {
        this.admin = admin;
        this.name = name;
        this.createdHere = createdHere;
    }

    static ReplyTopic createIfMissing(Admin admin, String name) {
        NewTopic topic = new NewTopic(name, Optional.of(1), Optional.empty())
                .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(RETENTION.toMillis())));
        try {
            admin.createTopics(List.of(topic)).all().get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return new ReplyTopic(admin, name, true);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                return new ReplyTopic(admin, name, false);
            }
            throw new IllegalStateException("cannot create the reply topic " + name + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot create the reply topic " + name + " within "
                    + ADMIN_TIMEOUT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the reply topic " + name, e);
        }
    }

    String name() {
        return name;
    }

    /** Deletes the topic if this instance created it; a failure is logged, as the topic costs little. */
    void deleteIfCreatedHere() {
        if (!createdHere) {
            return;
        }
        try {
            admin.deleteTopics(List.of(name)).all().get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.log(Level.WARNING, "Could not delete the reply topic {0}; delete it by hand: {1}", name,
                    e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.log(Level.WARNING, "Interrupted while deleting the reply topic {0}; delete it by hand", name);
        }
    }
}
