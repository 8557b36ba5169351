package dev.economyengine.messaging;

import dev.economyengine.store.ShardStore;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.utils.Utils;

/**
 * The shards this worker owns and has restored, by partition, for readers on other threads (the query
 * API). A shard may be closed by a rebalance while a reader holds it; the reader then gets a
 * {@link dev.economyengine.store.StoreException} and should answer "try again".
 */
public final class OwnedShards {
    private final Map<Integer, ShardStore> shards = new ConcurrentHashMap<>();
    private final int partitionCount;

    public OwnedShards(int partitionCount) {
        this.partitionCount = partitionCount;
    }

    /** The partition, and so the shard, that holds a user: Kafka's default partitioner of the key. */
    public int partitionOf(String userId) {
        return Utils.toPositive(Utils.murmur2(userId.getBytes(StandardCharsets.UTF_8))) % partitionCount;
    }

    public int partitionCount() {
        return partitionCount;
    }

    public Optional<ShardStore> shard(int partition) {
        return Optional.ofNullable(shards.get(partition));
    }

    public Set<Integer> partitions() {
        return Set.copyOf(shards.keySet());
    }

    void put(int partition, ShardStore shard) {
        shards.put(partition, shard);
    }

    void remove(int partition) {
        shards.remove(partition);
    }

}
