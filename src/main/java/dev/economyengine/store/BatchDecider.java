package dev.economyengine.store;

import dev.economyengine.ledger.BalanceChange;
import dev.economyengine.ledger.Decision;
import dev.economyengine.ledger.Outcome;
import dev.economyengine.ledger.Request;
import dev.economyengine.ledger.Result;
import dev.economyengine.ledger.Transaction;
import dev.economyengine.store.KeyLookups.RequestKey;
import dev.economyengine.store.KeyLookups.StoredAccount;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides a batch of requests, in order, against the state it starts from: the results already
 * stored for its keys and its users' accounts. Writes nothing: {@link BatchWriter} stores the
 * outcomes, at once or later. A repeat later in the same batch is a duplicate too, and each user's
 * balance carries from one request to the next.
 */
final class BatchDecider {
    private final int shardId;

    BatchDecider(int shardId) {
        this.shardId = shardId;
    }

    /** Where a batch starts: what is stored, and the next free transaction and account numbers. */
    record Start(Map<RequestKey, Result> seen, Map<String, StoredAccount> accounts, long nextSequence,
            long nextAccountId) {}

    /** The outcomes, the account of every user they move, and the next free numbers after them. */
    record Decided(List<Outcome> outcomes, Map<String, StoredAccount> accounts, long nextSequence,
            long nextAccountId) {}

    Decided decide(List<Request> requests, Start start, Instant now) {
        Map<RequestKey, Result> seen = start.seen();
        Map<String, StoredAccount> accounts = new HashMap<>(start.accounts());
        Map<String, StoredAccount> moved = new HashMap<>();
        List<Outcome> outcomes = new ArrayList<>(requests.size());
        long nextSequence = start.nextSequence();
        long nextAccountId = start.nextAccountId();
        for (Request request : requests) {
            RequestKey key = request.userId() == null ? null : new RequestKey(request.userId(), request.requestId());
            Result seenBefore = key == null ? null : seen.get(key);
            if (seenBefore != null) {
                outcomes.add(Outcome.duplicate(seenBefore));
                continue;
            }
            StoredAccount account = key == null ? null : accounts.get(request.userId());
            long balance = account == null ? 0 : account.balance();
            Decision decision = Decision.decide(request, balance);
            Outcome outcome;
            if (decision instanceof Decision.Accept accept) {
                Transaction transaction = transaction(request, accept.amount(), nextSequence++, now);
                StoredAccount after = account == null
                        ? new StoredAccount(nextAccountId++, accept.newBalance(), 1)
                        : new StoredAccount(account.accountId(), accept.newBalance(), account.version() + 1);
                accounts.put(request.userId(), after);
                moved.put(request.userId(), after);
                Result result = Result.accepted(request, accept.amount(), accept.newBalance(),
                        transaction.transactionId(), now);
                outcome = Outcome.accepted(result, transaction, new BalanceChange(request.userId(),
                        accept.newBalance(), transaction.delta(), transaction.transactionId(), request.requestId(),
                        after.version(), now));
            } else {
                Decision.Reject reject = (Decision.Reject) decision;
                outcome = Outcome.rejected(
                        Result.rejected(request, reject.code(), reject.message(), reject.amount(), balance, now));
            }
            if (key != null) {
                seen.put(key, outcome.result());
            }
            outcomes.add(outcome);
        }
        return new Decided(outcomes, moved, nextSequence, nextAccountId);
    }

    /** The outcomes a shard stores: not duplicates, and not requests without a user to file them under. */
    static boolean stored(Outcome outcome) {
        return outcome.result().userId() != null && !outcome.result().duplicate();
    }

    private Transaction transaction(Request request, long amount, long sequence, Instant now) {
        String reason = request instanceof Request.Earn earn ? earn.reason() : ((Request.Spend) request).reason();
        return new Transaction(TransactionIds.format(shardId, sequence), request.userId(), request.requestId(),
                request.type(), amount, reason, now, Transaction.entriesFor(request.type(), request.userId(), amount));
    }
}
