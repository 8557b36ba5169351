package dev.economyengine.ledger;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A committed, immutable double-entry transaction in one currency. An earn debits the currency's
 * reserve and credits the user; a spend debits the user and credits the reserve, so in every currency
 * debits equal credits.
 *
 * @param transactionId the ledger's id for it, {@code "<shard>-<sequence>"}; sequences grow with each
 *     transaction of a shard (the embeddable ledger is shard 0)
 * @param userId the user whose balance it changed
 * @param requestId the request it applied (a random id for a call of the embeddable ledger)
 * @param type earn or spend
 * @param currency the currency it moved, such as {@code coins}
 * @param amount the amount moved, from 1 to the currency's cap (at most {@link Money#MAX_CAP})
 * @param reason why, as the request gave it; may be null
 * @param createdAt when it was committed
 * @param entries its lines: a debit and a credit of {@code amount}, between the user and the reserve
 * @param basis for an earn, what it was decided on; null for a spend, and for an earn written before
 *     versions recorded it
 */
public record Transaction(
        String transactionId,
        String userId,
        String requestId,
        RequestType type,
        String currency,
        long amount,
        String reason,
        Instant createdAt,
        List<Entry> entries,
        EarnBasis basis) {

    /**
     * Checks the transaction.
     *
     * @param transactionId the ledger's id for it
     * @param userId the user
     * @param requestId the request it applied
     * @param type earn or spend
     * @param currency the currency it moved
     * @param amount the amount moved
     * @param reason why; may be null
     * @param createdAt when it was committed
     * @param entries its lines, whose debits and credits must sum to the same in every currency
     * @param basis what an earn was decided on; null for a spend
     * @throws IllegalArgumentException if the amount is out of range, debits and credits differ in some
     *     currency, or a spend has a basis
     * @throws NullPointerException if an id, the type, the currency or the time is null
     */
    public Transaction {
        Objects.requireNonNull(transactionId, "transactionId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(createdAt, "createdAt");
        Money.requireValidAmountOfAnyCurrency(amount);
        if (basis != null && type != RequestType.EARN) {
            throw new IllegalArgumentException("only an earn has an earn basis, not a " + type);
        }
        entries = List.copyOf(entries);
        Map<String, Long> debitsLessCredits = new HashMap<>();
        for (Entry entry : entries) {
            debitsLessCredits.merge(entry.currency(), entry.debit() - entry.credit(), Long::sum);
        }
        debitsLessCredits.forEach((entryCurrency, difference) -> {
            if (difference != 0) {
                throw new IllegalArgumentException("unbalanced transaction: in " + entryCurrency
                        + " debits exceed credits by " + difference);
            }
        });
    }

    /**
     * What an earn was decided on.
     *
     * @param action the earning rule applied; null for an earn of the embedded ledger, which names an amount
     * @param rulesVersion the rules version of the economy it was decided under: a digest of the economy
     *     file's normalized content
     * @param recordedAt the time its limits were judged at: the request record's timestamp, or for the
     *     embedded ledger the time of the call
     */
    public record EarnBasis(String action, String rulesVersion, Instant recordedAt) {
        /**
         * Checks the basis.
         *
         * @param action the earning rule applied, or null
         * @param rulesVersion the rules version
         * @param recordedAt the time the limits were judged at
         * @throws NullPointerException if the rules version or the time is null
         */
        public EarnBasis {
            Objects.requireNonNull(rulesVersion, "rulesVersion");
            Objects.requireNonNull(recordedAt, "recordedAt");
        }
    }

    /**
     * The two entries of a transfer of {@code amount} of a currency between the user and its reserve.
     *
     * @param type earn (from the reserve to the user) or spend (from the user to the reserve)
     * @param userId the user
     * @param currency the currency moved
     * @param amount the amount moved
     * @return the debit and the credit
     */
    public static List<Entry> entriesFor(RequestType type, String userId, String currency, long amount) {
        String user = Accounts.user(userId);
        return type == RequestType.EARN
                ? List.of(Entry.debit(Accounts.RESERVE, currency, amount), Entry.credit(user, currency, amount))
                : List.of(Entry.debit(user, currency, amount), Entry.credit(Accounts.RESERVE, currency, amount));
    }

    /**
     * The change this transaction makes to the user's balance in its currency.
     *
     * @return {@code amount} for an earn, {@code -amount} for a spend
     */
    public long delta() {
        return type == RequestType.EARN ? amount : -amount;
    }
}
