package dev.economyengine.store;

import dev.economyengine.ledger.LimitUsage;
import dev.economyengine.ledger.Outcome;
import dev.economyengine.ledger.Request;
import dev.economyengine.ledger.Result;
import dev.economyengine.store.KeyLookups.RequestKey;
import dev.economyengine.store.LimitSubjects.UsageKey;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Batches decided but not yet in the file: the results and balances they leave, on which the next
 * batch is decided before they are written. Together with the file they are the whole state: a batch
 * leaves this overlay only once it is committed to SQLite ({@link #forgetWritten}), and the file is
 * read after that. Used by one thread, the one that decides.
 */
final class PendingOutcomes {
    private final ArrayDeque<DecidedBatch> batches = new ArrayDeque<>();
    private final Map<RequestKey, Result> results = new HashMap<>();
    private final Map<String, Pending> accounts = new HashMap<>();
    private final Map<UsageKey, PendingUsage> usages = new HashMap<>();
    /** The numbers after the newest pending batch's; meaningful only while one is pending. */
    private long nextSequence;
    private long nextAccountId;

    /**
     * Where a batch of {@code requests} starts: what is pending, then what the file holds; {@code subjects}
     * tells which usages of limits its earns read.
     */
    BatchDecider.Start startFor(List<Request> requests, KeyLookups file, LimitSubjects subjects) throws SQLException {
        Set<RequestKey> keys = new LinkedHashSet<>(BatchWriter.capacityFor(requests.size()));
        Set<String> users = new LinkedHashSet<>(BatchWriter.capacityFor(requests.size()));
        Set<UsageKey> usageKeys = new LinkedHashSet<>();
        for (Request request : requests) {
            if (request.userId() != null) {
                keys.add(new RequestKey(request.userId(), request.requestId()));
                users.add(request.userId());
                subjects.keysOf(request, usageKeys);
            }
        }
        Map<RequestKey, Result> seen = new HashMap<>(BatchWriter.capacityFor(keys.size()));
        List<RequestKey> unknownKeys = new ArrayList<>(keys.size());
        for (RequestKey key : keys) {
            Result pending = results.get(key);
            if (pending != null) {
                seen.put(key, pending);
            } else {
                unknownKeys.add(key);
            }
        }
        seen.putAll(file.results(unknownKeys));
        Map<String, UserAccounts> accounts = new HashMap<>(BatchWriter.capacityFor(users.size()));
        List<String> unknownUsers = new ArrayList<>(users.size());
        for (String user : users) {
            Pending pending = this.accounts.get(user);
            if (pending != null) {
                accounts.put(user, pending.account);
            } else {
                unknownUsers.add(user);
            }
        }
        accounts.putAll(file.accounts(unknownUsers));
        Map<UsageKey, LimitUsage> usages = new HashMap<>();
        List<UsageKey> unknownUsages = new ArrayList<>(usageKeys.size());
        for (UsageKey key : usageKeys) {
            PendingUsage pending = this.usages.get(key);
            if (pending != null) {
                usages.put(key, pending.usage);
            } else {
                unknownUsages.add(key);
            }
        }
        usages.putAll(file.usages(unknownUsages));
        return batches.isEmpty()
                ? new BatchDecider.Start(seen, accounts, usages, file.nextSequence(), file.nextAccountId())
                : new BatchDecider.Start(seen, accounts, usages, nextSequence, nextAccountId);
    }

    boolean isEmpty() {
        return batches.isEmpty();
    }

    void add(DecidedBatch batch, BatchDecider.Decided decided) {
        batches.addLast(batch);
        nextSequence = decided.nextSequence();
        nextAccountId = decided.nextAccountId();
        for (Outcome outcome : batch.outcomes()) {
            if (BatchDecider.stored(outcome)) {
                Result result = outcome.result();
                results.put(new RequestKey(result.userId(), result.requestId()), result);
            }
        }
        decided.accounts().forEach((user, account) -> accounts.put(user, new Pending(account, batch.number())));
        decided.usages().forEach((key, usage) -> usages.put(key, new PendingUsage(usage, batch.number())));
    }

    /** Drops the batches up to number {@code written}: from now on the file has them. */
    void forgetWritten(long written) {
        while (!batches.isEmpty() && batches.peekFirst().number() <= written) {
            DecidedBatch batch = batches.removeFirst();
            // A later pending batch may have changed this usage since; then it stays.
            batch.usages().keySet().forEach(key ->
                    usages.computeIfPresent(key, (usageKey, left) -> left.batch == batch.number() ? null : left));
            for (Outcome outcome : batch.outcomes()) {
                if (!BatchDecider.stored(outcome)) {
                    continue;
                }
                Result result = outcome.result();
                results.remove(new RequestKey(result.userId(), result.requestId()));
                // A later pending batch may have left this user's account since; then it stays.
                outcome.balanceChange().ifPresent(change ->
                        accounts.computeIfPresent(change.userId(), (user, left) -> left.batch == batch.number() ? null : left));
            }
        }
    }

    void clear() {
        batches.clear();
        results.clear();
        accounts.clear();
        usages.clear();
    }

    /** A user's accounts and the batch that left them so. */
    private record Pending(UserAccounts account, long batch) {}

    /** A usage of limits and the batch that left it so. */
    private record PendingUsage(LimitUsage usage, long batch) {}
}
