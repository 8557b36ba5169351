package dev.economyengine.messaging;

import dev.economyengine.store.ShardStore;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.utils.Utils;

/**
 * The shards this process holds, by partition, in whatever state, for readers on other threads (the
 * query API, health and metrics). Only a live shard is read. A shard may leave LIVE (a rebalance, a
 * failed batch) while a reader holds its file; the reader then gets a
 * {@link dev.economyengine.store.StoreException} and should answer "try again".
 */
public final class OwnedShards {
    private final Map<Integer, ShardLifecycle> shards = new ConcurrentHashMap<>();
    private final int partitionCount;

    public OwnedShards(int partitionCount) {
        this.partitionCount = partitionCount;
    }

    /** The partition, and so the shard, that holds a user: Kafka's default partitioner of the key. */
    public int partitionOf(String userId) {
        return partitionOf(userId, partitionCount);
    }

    /** Kafka's default partitioner (murmur2, as the Java client computes it) on the userId in UTF-8. */
    static int partitionOf(String userId, int partitionCount) {
        return Utils.toPositive(Utils.murmur2(userId.getBytes(StandardCharsets.UTF_8))) % partitionCount;
    }

    public int partitionCount() {
        return partitionCount;
    }

    /** The partition's shard file, while the shard is live in this process. */
    public Optional<ShardStore> liveShard(int partition) {
        ShardLifecycle shard = shards.get(partition);
        return shard == null ? Optional.empty() : shard.liveStore();
    }

    /** The state of the partition's shard, if this process holds it. */
    public Optional<ShardState> state(int partition) {
        ShardLifecycle shard = shards.get(partition);
        return shard == null ? Optional.empty() : Optional.of(shard.state());
    }

    /** The partitions whose shards are live here. */
    public Set<Integer> partitions() {
        Set<Integer> live = new TreeSet<>();
        shards.forEach((partition, shard) -> {
            if (shard.state().isLive()) {
                live.add(partition);
            }
        });
        return live;
    }

    /** How many shards this process holds in each state (every state listed, most with 0). */
    public Map<ShardState, Integer> countByState() {
        Map<ShardState, Integer> counts = new EnumMap<>(ShardState.class);
        for (ShardState state : ShardState.values()) {
            counts.put(state, 0);
        }
        shards.values().forEach(shard -> counts.merge(shard.state(), 1, Integer::sum));
        return counts;
    }

    void put(ShardLifecycle shard) {
        shards.put(shard.partition(), shard);
    }

    /** Removes the shard, unless another lane has registered the partition since. */
    void remove(ShardLifecycle shard) {
        shards.remove(shard.partition(), shard);
    }
}
