package dev.economyengine.http;

import dev.economyengine.store.ShardStore;
import java.util.Optional;

/**
 * Finds where a user's data can be read: in a shard live here, at another worker's URL, or nowhere for
 * the moment. A shard live here is always used, whatever the last assignment map says: it is restored
 * and the worker applies the user's requests to it. A shard held here but not live answers 503 with its
 * state: it may be behind what the worker has already published.
 */
final class ShardLocator {
    private final ShardDirectory directory;
    private final String selfUrl;

    ShardLocator(ShardDirectory directory, String selfUrl) {
        this.directory = directory;
        this.selfUrl = selfUrl;
    }

    Placement locate(String userId) {
        int partition = directory.partitionOf(userId);
        ShardDirectory.Local local = directory.local(partition);
        if (local instanceof ShardDirectory.Local.Live live) {
            return new Placement.Here(live.shard());
        }
        if (local instanceof ShardDirectory.Local.NotLive notLive) {
            return new Placement.Unavailable("shard_not_live", notLive.state(), "partition " + partition
                    + " is " + notLive.state() + " on this worker, not live yet; try again");
        }
        Optional<String> owner = directory.ownerOf(partition);
        if (owner.isEmpty()) {
            String why = directory.ownersSettled() ? "its owner advertised no HTTP URL" : "the consumer group is rebalancing";
            return new Placement.Unavailable("owner_unknown", null,
                    "the owner of partition " + partition + " is not known: " + why);
        }
        if (owner.get().equals(selfUrl)) {
            return new Placement.Unavailable("shard_not_live", "ASSIGNED",
                    "partition " + partition + " is assigned to this worker and not open yet; try again");
        }
        return new Placement.Elsewhere(owner.get(), partition);
    }

    /** Where a user's data is. */
    sealed interface Placement {
        record Here(ShardStore shard) implements Placement {}

        record Elsewhere(String ownerUrl, int partition) implements Placement {}

        /** Not readable for now; {@code state} names the shard's state when it is held here, else null. */
        record Unavailable(String error, String state, String message) implements Placement {}
    }
}
