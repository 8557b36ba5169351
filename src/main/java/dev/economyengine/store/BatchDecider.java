package dev.economyengine.store;

import dev.economyengine.ledger.AmountLimit;
import dev.economyengine.ledger.BalanceChange;
import dev.economyengine.ledger.CountLimit;
import dev.economyengine.ledger.Currency;
import dev.economyengine.ledger.Decision;
import dev.economyengine.ledger.Economy;
import dev.economyengine.ledger.LimitReached;
import dev.economyengine.ledger.LimitUsage;
import dev.economyengine.ledger.Outcome;
import dev.economyengine.ledger.Request;
import dev.economyengine.ledger.Result;
import dev.economyengine.ledger.ResultCode;
import dev.economyengine.ledger.Transaction;
import dev.economyengine.store.KeyLookups.RequestKey;
import dev.economyengine.store.LimitSubjects.UsageKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides a batch of requests, in order, against the state it starts from: the results already
 * stored for its keys and its users' accounts. Writes nothing: {@link BatchWriter} stores the
 * outcomes, at once or later. A repeat later in the same batch is a duplicate too, and each user's
 * balances carry from one request to the next.
 */
final class BatchDecider {
    private final int shardId;
    private final Economy economy;
    private final LimitSubjects subjects;

    BatchDecider(int shardId, Economy economy) {
        this.shardId = shardId;
        this.economy = economy;
        this.subjects = new LimitSubjects(economy);
    }

    /**
     * Where a batch starts: what is stored (results, accounts, and the usages of limits its earns read),
     * and the next free transaction and account numbers.
     */
    record Start(Map<RequestKey, Result> seen, Map<String, UserAccounts> accounts, Map<UsageKey, LimitUsage> usages,
            long nextSequence, long nextAccountId) {}

    /**
     * The outcomes, the accounts (all of them) of every user they move and the usages of limits they
     * change, as the batch leaves them, and the next free numbers after them.
     */
    record Decided(List<Outcome> outcomes, Map<String, UserAccounts> accounts, Map<UsageKey, LimitUsage> usages,
            long nextSequence, long nextAccountId) {}

    LimitSubjects subjects() {
        return subjects;
    }

    Decided decide(List<Request> requests, Start start, Instant now) {
        Map<RequestKey, Result> seen = start.seen();
        Map<String, UserAccounts> accounts = new HashMap<>(start.accounts());
        Map<String, UserAccounts> moved = new HashMap<>();
        Map<UsageKey, LimitUsage> usages = new HashMap<>(start.usages());
        Map<UsageKey, LimitUsage> usagesChanged = new HashMap<>();
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
            UserAccounts user = key == null ? UserAccounts.NONE : accounts.getOrDefault(request.userId(), UserAccounts.NONE);
            Outcome outcome;
            if (request instanceof Request.Rejected rejected) {
                long balance = rejected.currency() == null ? 0 : user.balance(rejected.currency());
                outcome = Outcome.rejected(Result.rejected(request, rejected.currency(), rejected.code(),
                        rejected.message(), rejected.amount(), balance, null, now));
            } else {
                String code = request.currency() != null ? request.currency() : economy.defaultCurrency();
                Currency currency = economy.currency(code).orElse(null);
                EarnLimits limits = currency != null && request instanceof Request.Earn earn
                        && subjects.limited(earn.action(), code)
                        ? new EarnLimits(earn, code, earn.recordedAt() != null ? earn.recordedAt() : now, usages)
                        : null;
                LimitReached reached = limits == null ? null : limits.reached().orElse(null);
                Decision decision;
                if (currency == null) {
                    decision = new Decision.Reject(ResultCode.UNKNOWN_CURRENCY, "no currency '" + code
                            + "' in the economy", amountOf(request));
                } else if (reached != null) {
                    decision = new Decision.Reject(ResultCode.LIMIT_REACHED, reached.limit(), amountOf(request));
                } else {
                    decision = Decision.decide(request, user.balance(code), currency.cap());
                }
                if (decision instanceof Decision.Accept accept) {
                    if (limits != null) {
                        limits.record(usages, usagesChanged);
                    }
                    UserAccounts.Account before = user.account(code);
                    UserAccounts.Account after = new UserAccounts.Account(
                            before == null ? nextAccountId++ : before.accountId(), accept.newBalance());
                    user = user.changed(code, after, user.version() + 1);
                    accounts.put(request.userId(), user);
                    moved.put(request.userId(), user);
                    Transaction transaction = transaction(request, code, accept.amount(), nextSequence++, now);
                    Result result = Result.accepted(request, code, accept.amount(), accept.newBalance(),
                            transaction.transactionId(), now);
                    outcome = Outcome.accepted(result, transaction, new BalanceChange(request.userId(), code,
                            accept.newBalance(), transaction.delta(), transaction.transactionId(), request.requestId(),
                            user.version(), now));
                } else {
                    Decision.Reject reject = (Decision.Reject) decision;
                    String known = currency == null ? null : code;
                    long balance = currency == null ? 0 : user.balance(code);
                    outcome = Outcome.rejected(Result.rejected(request, known, reject.code(), reject.message(),
                            reject.amount(), balance, reached == null ? null : reached.nextAllowedAt(), now));
                }
            }
            if (key != null) {
                seen.put(key, outcome.result());
            }
            outcomes.add(outcome);
        }
        return new Decided(outcomes, moved, usagesChanged, nextSequence, nextAccountId);
    }

    /**
     * The limits of one earn: its action's count limits and its currency's amount limits, judged at the
     * earn's time against the usages as the batch has left them so far.
     */
    private final class EarnLimits {
        private final Request.Earn earn;
        private final List<CountLimit> countLimits;
        private final List<AmountLimit> amountLimits;
        private final UsageKey actionKey;
        private final UsageKey currencyKey;
        private final long at;
        private final LimitUsage actionUsage;
        private final LimitUsage currencyUsage;

        EarnLimits(Request.Earn earn, String currency, Instant at, Map<UsageKey, LimitUsage> usages) {
            this.earn = earn;
            this.countLimits = subjects.countLimits(earn.action());
            this.amountLimits = subjects.amountLimits(currency);
            this.actionKey = countLimits.isEmpty() ? null : subjects.actionKey(earn.userId(), earn.action());
            this.currencyKey = amountLimits.isEmpty() ? null : subjects.currencyKey(earn.userId(), currency);
            this.at = at.toEpochMilli();
            this.actionUsage = actionKey == null ? null : usages.getOrDefault(actionKey, LimitUsage.NONE);
            this.currencyUsage = currencyKey == null ? null : usages.getOrDefault(currencyKey, LimitUsage.NONE);
        }

        /** The limit that holds the earn back longest, if any does. */
        Optional<LimitReached> reached() {
            LimitReached byAction = actionUsage == null ? null
                    : actionUsage.check(earn.action(), countLimits, at, 1).orElse(null);
            LimitReached byCurrency = currencyUsage == null ? null
                    : currencyUsage.check(LimitSubjects.subjectName(currencyKey.subject()), amountLimits, at,
                            earn.amount()).orElse(null);
            return Optional.ofNullable(LimitReached.later(byAction, byCurrency));
        }

        /** The earn is accepted: it counts towards its limits from now on. */
        void record(Map<UsageKey, LimitUsage> usages, Map<UsageKey, LimitUsage> changed) {
            if (actionKey != null) {
                LimitUsage after = actionUsage.recorded(countLimits, at, 1);
                usages.put(actionKey, after);
                changed.put(actionKey, after);
            }
            if (currencyKey != null) {
                LimitUsage after = currencyUsage.recorded(amountLimits, at, earn.amount());
                usages.put(currencyKey, after);
                changed.put(currencyKey, after);
            }
        }
    }

    /** The outcomes a shard stores: not duplicates, and not requests without a user to file them under. */
    static boolean stored(Outcome outcome) {
        return outcome.result().userId() != null && !outcome.result().duplicate();
    }

    private static long amountOf(Request request) {
        return request instanceof Request.Earn earn ? earn.amount() : ((Request.Spend) request).amount();
    }

    private Transaction transaction(Request request, String currency, long amount, long sequence, Instant now) {
        String reason;
        Transaction.EarnBasis basis = null;
        if (request instanceof Request.Earn earn) {
            reason = earn.reason();
            basis = new Transaction.EarnBasis(earn.action(), economy.rulesVersion(),
                    earn.recordedAt() != null ? earn.recordedAt() : now);
        } else {
            reason = ((Request.Spend) request).reason();
        }
        return new Transaction(TransactionIds.format(shardId, sequence), request.userId(), request.requestId(),
                request.type(), currency, amount, reason, now,
                Transaction.entriesFor(request.type(), request.userId(), currency, amount), basis);
    }
}
