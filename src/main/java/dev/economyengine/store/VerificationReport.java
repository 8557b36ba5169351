package dev.economyengine.store;

import java.util.List;
import java.util.Objects;

/**
 * What {@link ShardVerifier} found in one shard file: its size, its postings, every broken invariant
 * (empty when the ledger is sound) and a hash of its state that two replicas of the same ledger share.
 */
public record VerificationReport(
        int shardId,
        long transactions,
        long entries,
        long users,
        long totalDebits,
        long totalCredits,
        List<String> violations,
        String stateHash) {

    public VerificationReport {
        requireNotNegative(transactions, "transactions");
        requireNotNegative(entries, "entries");
        requireNotNegative(users, "users");
        violations = List.copyOf(Objects.requireNonNull(violations, "violations"));
        Objects.requireNonNull(stateHash, "stateHash");
    }

    public boolean ok() {
        return violations.isEmpty();
    }

    private static void requireNotNegative(long count, String name) {
        if (count < 0) {
            throw new IllegalArgumentException(name + " cannot be negative, was " + count);
        }
    }
}
