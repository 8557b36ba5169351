package dev.economyengine.app;

import dev.economyengine.http.ShardDirectory;
import dev.economyengine.messaging.EndpointAwareAssignor.PartitionOwners;
import dev.economyengine.messaging.OwnedShards;
import java.util.Optional;

/** The worker's shards and the group's partition owners, as the query API sees them. */
final class WorkerShardDirectory implements ShardDirectory {
    private final OwnedShards owned;
    private final PartitionOwners owners;

    WorkerShardDirectory(OwnedShards owned, PartitionOwners owners) {
        this.owned = owned;
        this.owners = owners;
    }

    @Override
    public int partitionOf(String userId) {
        return owned.partitionOf(userId);
    }

    @Override
    public Local local(int partition) {
        return owned.liveShard(partition)
                .<Local>map(Local.Live::new)
                .or(() -> owned.state(partition).map(state -> new Local.NotLive(state.name())))
                .orElseGet(Local.Absent::new);
    }

    @Override
    public Optional<String> ownerOf(int partition) {
        return owners.ownerOf(partition);
    }

    @Override
    public boolean ownersSettled() {
        return owners.settled();
    }
}
