package dev.economyengine.messaging;

import dev.economyengine.store.ShardStore;

/** Opens the ledger shard of a partition when the worker is given that partition. */
@FunctionalInterface
public interface ShardOpener {
    ShardStore open(int partition);
}
