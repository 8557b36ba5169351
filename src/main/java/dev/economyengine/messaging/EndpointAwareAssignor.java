package dev.economyengine.messaging;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Configurable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The range assignor (partition p of both request topics to one member, which the per-partition shard
 * needs), which also tells every member where every partition's owner answers HTTP queries, the way
 * Kafka Streams spreads {@code application.server}.
 *
 * <p>Protocol. Each member puts its advertised HTTP base URL ({@value #ADVERTISED_URL_CONFIG}) in its
 * subscription's user data. The group leader computes the plain range assignment, then puts the whole
 * map partition → owner URL into every member's assignment user data. Each member stores the map in
 * its {@link PartitionOwners} ({@value #PARTITION_OWNERS_CONFIG}), where the query API reads it on
 * other threads. The map is cleared when this member starts to rejoin (Kafka asks for the
 * subscription's user data exactly then), so that during a rebalance nobody is sent to a member that
 * may be giving its partitions up: readers see "owner unknown" until the new assignment arrives.
 *
 * <p>The name stays {@code range}: a group rolling from plain range-assigning workers to these keeps
 * one common protocol throughout. A plain range leader sends no map; members then simply know no
 * owners until an endpoint-aware member leads.
 */
public final class EndpointAwareAssignor extends RangeAssignor implements Configurable {
    /** Consumer config: this member's advertised HTTP base URL (a String); absent, it advertises none. */
    public static final String ADVERTISED_URL_CONFIG = "economy.http.advertised-url";
    /** Consumer config: the {@link PartitionOwners} instance to keep up to date (an object, not a string). */
    public static final String PARTITION_OWNERS_CONFIG = "economy.http.partition-owners";

    private static final Logger log = LoggerFactory.getLogger(EndpointAwareAssignor.class);
    private static final short FORMAT_VERSION = 1;

    private String advertisedUrl = "";
    private PartitionOwners owners = new PartitionOwners();

    @Override
    public void configure(Map<String, ?> configs) {
        Object url = configs.get(ADVERTISED_URL_CONFIG);
        if (url != null) {
            advertisedUrl = url.toString();
        }
        Object shared = configs.get(PARTITION_OWNERS_CONFIG);
        if (shared instanceof PartitionOwners given) {
            owners = given;
        } else if (shared != null) {
            throw new IllegalArgumentException(PARTITION_OWNERS_CONFIG + " must be a "
                    + PartitionOwners.class.getName() + ", was " + shared.getClass().getName());
        }
    }

    @Override
    public ByteBuffer subscriptionUserData(Set<String> topics) {
        // Called as this member (re)joins the group: whatever map it had may be out of date from now on.
        owners.rebalancing();
        return advertisedUrl.isEmpty() ? null : encodeUrl(advertisedUrl);
    }

    @Override
    public GroupAssignment assign(Cluster metadata, GroupSubscription groupSubscription) {
        GroupAssignment range = super.assign(metadata, groupSubscription);
        Map<String, Subscription> subscriptions = groupSubscription.groupSubscription();
        Map<Integer, String> ownerUrls = new HashMap<>();
        range.groupAssignment().forEach((member, assignment) -> {
            Subscription subscription = subscriptions.get(member);
            Optional<String> url = subscription == null ? Optional.empty() : decodeUrl(subscription.userData());
            url.ifPresent(u -> assignment.partitions().forEach(p -> ownerUrls.put(p.partition(), u)));
        });
        ByteBuffer encoded = encodeOwners(ownerUrls);
        Map<String, Assignment> withOwners = new HashMap<>();
        range.groupAssignment().forEach((member, assignment) ->
                withOwners.put(member, new Assignment(assignment.partitions(), encoded.duplicate())));
        return new GroupAssignment(withOwners);
    }

    @Override
    public void onAssignment(Assignment assignment, ConsumerGroupMetadata metadata) {
        Map<Integer, String> decoded = decodeOwners(assignment.userData());
        owners.assigned(decoded, metadata == null ? -1 : metadata.generationId());
        log.info("partition owners for generation {}: {}", metadata == null ? "?" : metadata.generationId(), decoded);
    }

    private static ByteBuffer encodeUrl(String url) {
        byte[] bytes = url.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.allocate(2 + 4 + bytes.length);
        buffer.putShort(FORMAT_VERSION).putInt(bytes.length).put(bytes);
        return buffer.flip();
    }

    /** Empty for a member that advertised nothing, or in a format this version does not read. */
    private static Optional<String> decodeUrl(ByteBuffer userData) {
        if (userData == null || !userData.hasRemaining()) {
            return Optional.empty();
        }
        try {
            ByteBuffer buffer = userData.duplicate();
            if (buffer.getShort() != FORMAT_VERSION) {
                return Optional.empty();
            }
            return Optional.of(readString(buffer)).filter(url -> !url.isEmpty());
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            log.warn("ignoring unreadable subscription user data: {}", e.toString());
            return Optional.empty();
        }
    }

    private static ByteBuffer encodeOwners(Map<Integer, String> ownerUrls) {
        List<Map.Entry<Integer, String>> entries = List.copyOf(ownerUrls.entrySet());
        int size = 2 + 4;
        for (Map.Entry<Integer, String> entry : entries) {
            size += 4 + 4 + entry.getValue().getBytes(StandardCharsets.UTF_8).length;
        }
        ByteBuffer buffer = ByteBuffer.allocate(size);
        buffer.putShort(FORMAT_VERSION).putInt(entries.size());
        for (Map.Entry<Integer, String> entry : entries) {
            byte[] url = entry.getValue().getBytes(StandardCharsets.UTF_8);
            buffer.putInt(entry.getKey()).putInt(url.length).put(url);
        }
        return buffer.flip();
    }

    private static Map<Integer, String> decodeOwners(ByteBuffer userData) {
        if (userData == null || !userData.hasRemaining()) {
            return Map.of();
        }
        try {
            ByteBuffer buffer = userData.duplicate();
            if (buffer.getShort() != FORMAT_VERSION) {
                return Map.of();
            }
            int count = buffer.getInt();
            Map<Integer, String> owners = new HashMap<>();
            for (int i = 0; i < count; i++) {
                owners.put(buffer.getInt(), readString(buffer));
            }
            return owners;
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            log.warn("ignoring unreadable assignment user data: {}", e.toString());
            return Map.of();
        }
    }

    private static String readString(ByteBuffer buffer) {
        int length = buffer.getInt();
        if (length < 0 || length > buffer.remaining()) {
            throw new IllegalArgumentException("string length " + length + " past the end of the data");
        }
        byte[] bytes = new byte[length];
        buffer.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * Where each partition's owner answers HTTP queries, as of the last assignment this member received.
     * Written by the consumer's thread inside poll, read by the query API's threads.
     */
    public static final class PartitionOwners {
        private volatile Snapshot snapshot = new Snapshot(Map.of(), -1, false);

        /** The owner's base URL; empty while the group rebalances or when the owner advertised none. */
        public Optional<String> ownerOf(int partition) {
            return Optional.ofNullable(snapshot.owners().get(partition));
        }

        /** Whether an assignment is in force (false before the first and during a rebalance). */
        public boolean settled() {
            return snapshot.settled();
        }

        public Map<Integer, String> owners() {
            return snapshot.owners();
        }

        void rebalancing() {
            snapshot = new Snapshot(Map.of(), snapshot.generation(), false);
        }

        void assigned(Map<Integer, String> owners, int generation) {
            snapshot = new Snapshot(Map.copyOf(owners), generation, true);
        }

        /** Replaced whole, so a reader never sees half of one assignment and half of another. */
        private record Snapshot(Map<Integer, String> owners, int generation, boolean settled) {}
    }
}
