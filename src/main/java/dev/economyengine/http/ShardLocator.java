package dev.economyengine.http;

import dev.economyengine.messaging.EndpointAwareAssignor.PartitionOwners;
import dev.economyengine.messaging.OwnedShards;
import dev.economyengine.store.ShardStore;
import java.util.Optional;

/**
 * Finds where a user's data can be read: in a shard open here, at another worker's URL, or nowhere for
 * the moment. A shard open here is always used, whatever the last assignment map says: it is restored
 * and the worker applies the user's requests to it.
 */
final class ShardLocator {
    private final OwnedShards owned;
    private final PartitionOwners owners;
    private final String selfUrl;

    ShardLocator(OwnedShards owned, PartitionOwners owners, String selfUrl) {
        this.owned = owned;
        this.owners = owners;
        this.selfUrl = selfUrl;
    }

    Placement locate(String userId) {
        int partition = owned.partitionOf(userId);
        Optional<ShardStore> shard = owned.shard(partition);
        if (shard.isPresent()) {
            return new Placement.Here(shard.get());
        }
        Optional<String> owner = owners.ownerOf(partition);
        if (owner.isEmpty()) {
            String why = owners.settled() ? "its owner advertised no HTTP URL" : "the consumer group is rebalancing";
            return new Placement.Unavailable("owner_unknown",
                    "the owner of partition " + partition + " is not known: " + why);
        }
        if (owner.get().equals(selfUrl)) {
            return new Placement.Unavailable("partition_restoring",
                    "partition " + partition + " is assigned to this worker and not open yet (restoring)");
        }
        return new Placement.Elsewhere(owner.get(), partition);
    }

    /** Where a user's data is. */
    sealed interface Placement {
        record Here(ShardStore shard) implements Placement {}

        record Elsewhere(String ownerUrl, int partition) implements Placement {}

        record Unavailable(String error, String message) implements Placement {}
    }
}
