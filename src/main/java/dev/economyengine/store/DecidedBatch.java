package dev.economyengine.store;

import dev.economyengine.ledger.LimitUsage;
import dev.economyengine.ledger.Outcome;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A batch {@link ShardStore#decide decided} by a shard and not yet written to it: one outcome per
 * request, in order, the accounts of each user it credits or debits as it leaves them (new accounts are
 * numbered when decided, so that the write need not look them up), and the usages of limits it changes.
 */
public final class DecidedBatch {
    private final int shardId;
    private final long number;
    private final List<Outcome> outcomes;
    private final Map<String, UserAccounts> accounts;
    private final Map<LimitSubjects.UsageKey, LimitUsage> usages;

    /** Takes over the list and the map, which nobody changes afterwards: batches run to thousands of requests. */
    DecidedBatch(int shardId, long number, List<Outcome> outcomes, Map<String, UserAccounts> accounts,
            Map<LimitSubjects.UsageKey, LimitUsage> usages) {
        this.shardId = shardId;
        this.number = number;
        this.outcomes = Collections.unmodifiableList(outcomes);
        this.accounts = Collections.unmodifiableMap(accounts);
        this.usages = Collections.unmodifiableMap(usages);
    }

    public int shardId() {
        return shardId;
    }

    /** The batch's place in the order the shard decided its batches, from 1. */
    public long number() {
        return number;
    }

    public List<Outcome> outcomes() {
        return outcomes;
    }

    Map<String, UserAccounts> accounts() {
        return accounts;
    }

    Map<LimitSubjects.UsageKey, LimitUsage> usages() {
        return usages;
    }
}
