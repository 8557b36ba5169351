package dev.economyengine.ledger;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A committed, immutable double-entry transaction. An earn debits the reserve and credits the user;
 * a spend debits the user and credits the reserve, so debits always equal credits.
 *
 * @param transactionId the ledger's id for it, {@code "<shard>-<sequence>"}; sequences grow with each
 *     transaction of a shard (the embeddable ledger is shard 0)
 * @param userId the user whose balance it changed
 * @param requestId the request it applied (a random id for a call of the embeddable ledger)
 * @param type earn or spend
 * @param amount coins moved, from 1 to {@link Money#MAX_AMOUNT}
 * @param reason why, as the request gave it; may be null
 * @param createdAt when it was committed
 * @param entries its lines: a debit and a credit of {@code amount}, between the user and the reserve
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

    /**
     * Checks the transaction.
     *
     * @param transactionId the ledger's id for it
     * @param userId the user
     * @param requestId the request it applied
     * @param type earn or spend
     * @param amount coins moved
     * @param reason why; may be null
     * @param createdAt when it was committed
     * @param entries its lines, whose debits and credits must sum to the same
     * @throws IllegalArgumentException if the amount is out of range or debits and credits differ
     * @throws NullPointerException if an id, the type or the time is null
     */
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

    /**
     * The two entries of a transfer of {@code amount} between the user and the reserve.
     *
     * @param type earn (from the reserve to the user) or spend (from the user to the reserve)
     * @param userId the user
     * @param amount coins moved
     * @return the debit and the credit
     */
    public static List<Entry> entriesFor(RequestType type, String userId, long amount) {
        String user = Accounts.user(userId);
        return type == RequestType.EARN
                ? List.of(Entry.debit(Accounts.RESERVE, amount), Entry.credit(user, amount))
                : List.of(Entry.debit(user, amount), Entry.credit(Accounts.RESERVE, amount));
    }

    /**
     * The change this transaction makes to the user's balance.
     *
     * @return {@code amount} for an earn, {@code -amount} for a spend
     */
    public long delta() {
        return type == RequestType.EARN ? amount : -amount;
    }
}
