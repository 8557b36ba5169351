package dev.economyengine.messaging;

import java.util.EnumSet;
import java.util.Set;

/**
 * The phases of one shard's life in a worker, and the transitions between them:
 *
 * <pre>
 *   ASSIGNED ──► AWAITING_COMMITTED_OFFSETS ──► AWAITING_STABLE_CHANGELOG ──► RESTORING ──► LIVE
 *                        ▲                                │                       │          │
 *                        │                                ▼                       ▼          ▼
 *                        └──────────────────────────── FAILED ◄───────────────────┴──────────┘
 *
 *   any state but CLOSED ──► CLOSING ──► CLOSED
 * </pre>
 *
 * The order is the point. Committed offsets come first: a fetch of stable offsets waits for any
 * transaction that holds the partition's offsets (KIP-447), so a paused previous owner's last batch is
 * decided, committed or aborted, before anything else is read. Only then is the changelog's end read, once
 * no transaction is open on it, and the shard brought up to that end. A shard is LIVE, and so applies
 * requests and answers queries, only when its file reflects every batch that the committed offsets
 * include. A failed batch or restore sends a shard to FAILED, from which it goes round again.
 */
public enum ShardState {
    /** The partition is assigned, its request partitions paused. */
    ASSIGNED,
    /** The group's committed offsets of the partition are being fetched, stable. */
    AWAITING_COMMITTED_OFFSETS,
    /** Offsets known; the file is opened, and then waits until no transaction is open on the changelog. */
    AWAITING_STABLE_CHANGELOG,
    /** Copying the changelog from the offset the file records up to the partition's stable end. */
    RESTORING,
    /** Up to date: requests are applied and queries answered. */
    LIVE,
    /** A batch, a write or a restore failed; the file is closed and the shard goes round again. */
    FAILED,
    /** Revoked, lost or stopping: the writes handed to the shard's writer are being finished. */
    CLOSING,
    /** The file is closed; the shard is gone from the worker. */
    CLOSED;

    private Set<ShardState> next;

    static {
        ASSIGNED.next = EnumSet.of(AWAITING_COMMITTED_OFFSETS, FAILED, CLOSING);
        AWAITING_COMMITTED_OFFSETS.next = EnumSet.of(AWAITING_STABLE_CHANGELOG, FAILED, CLOSING);
        AWAITING_STABLE_CHANGELOG.next = EnumSet.of(RESTORING, FAILED, CLOSING);
        RESTORING.next = EnumSet.of(LIVE, FAILED, CLOSING);
        LIVE.next = EnumSet.of(FAILED, CLOSING);
        FAILED.next = EnumSet.of(AWAITING_COMMITTED_OFFSETS, CLOSING);
        CLOSING.next = EnumSet.of(CLOSED);
        CLOSED.next = EnumSet.noneOf(ShardState.class);
    }

    public boolean canGoTo(ShardState target) {
        return next.contains(target);
    }

    /** Whether the shard answers queries and takes requests. */
    public boolean isLive() {
        return this == LIVE;
    }
}
