package dev.economyengine.ledger;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A committed, immutable double-entry transaction. An earn debits the reserve and credits the user;
 * a spend debits the user and credits the reserve, so debits always equal credits.
 */
public record Transaction(
        String transactionId,
        String userId,
        String requestId,
        RequestType type,
        long amount,
        String reason,
        Instant createdAt,
        List<Entry> entries) {

    public Transaction {
        Objects.requireNonNull(transactionId, "transactionId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(createdAt, "createdAt");
        Money.requireValidAmount(amount);
        entries = List.copyOf(entries);
        long debits = entries.stream().mapToLong(Entry::debit).sum();
        long credits = entries.stream().mapToLong(Entry::credit).sum();
        if (debits != credits) {
            throw new IllegalArgumentException("unbalanced transaction: debits " + debits + " credits " + credits);
        }
    }

    /** The two entries of a transfer of {@code amount} between the user and the reserve. */
    public static List<Entry> entriesFor(RequestType type, String userId, long amount) {
        String user = Accounts.user(userId);
        return type == RequestType.EARN
                ? List.of(Entry.debit(Accounts.RESERVE, amount), Entry.credit(user, amount))
                : List.of(Entry.debit(user, amount), Entry.credit(Accounts.RESERVE, amount));
    }

    /** The change this transaction makes to the user's balance: positive for an earn. */
    public long delta() {
        return type == RequestType.EARN ? amount : -amount;
    }
}
