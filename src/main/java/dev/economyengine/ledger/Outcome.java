package dev.economyengine.ledger;

import java.util.Optional;

/**
 * What applying one request produced: always a result; for an accepted, first-seen request also the
 * transaction and the user's balance change.
 */
public record Outcome(Result result, Optional<Transaction> transaction, Optional<BalanceChange> balanceChange) {

    public static Outcome rejected(Result result) {
        return new Outcome(result, Optional.empty(), Optional.empty());
    }

    public static Outcome duplicate(Result original) {
        return new Outcome(original.asDuplicate(), Optional.empty(), Optional.empty());
    }

    public static Outcome accepted(Result result, Transaction transaction, BalanceChange change) {
        return new Outcome(result, Optional.of(transaction), Optional.of(change));
    }
}
