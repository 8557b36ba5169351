package dev.economyengine.http;

import dev.economyengine.store.ShardStore;
import java.util.Optional;

/**
 * All the query API needs to know of the worker: which partition holds a user, the state of that
 * partition's shard in this process, and who owns it elsewhere. The application adapts the worker's
 * registry to it, so that this package knows nothing of the poll loop.
 */
public interface ShardDirectory {
    /** The partition, and so the shard, that holds the user. */
    int partitionOf(String userId);

    /** The partition's shard in this process: live, held but not live, or not here. */
    Local local(int partition);

    /** The advertised URL of the worker that owns the partition, as the group's last assignment says. */
    Optional<String> ownerOf(int partition);

    /** Whether the group's last rebalance has ended (an unknown owner is then for good, not for now). */
    boolean ownersSettled();

    /** A partition's shard as this process holds it. */
    sealed interface Local {
        /** Live here: its file answers queries. */
        record Live(ShardStore shard) implements Local {}

        /** Held here but not live; {@code state} is the name of its lifecycle state, such as RESTORING. */
        record NotLive(String state) implements Local {}

        /** Not held by this process. */
        record Absent() implements Local {}
    }
}
