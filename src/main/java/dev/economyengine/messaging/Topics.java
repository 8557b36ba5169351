package dev.economyengine.messaging;

import java.util.List;
import java.util.Objects;

/** The names of the topics the worker reads and writes. */
public record Topics(String earnRequests, String spendRequests, String results, String balanceChanged, String dlq,
        String changelog) {
    public static final Topics DEFAULTS = new Topics("economy.earn.requests", "economy.spend.requests",
            "economy.results", "economy.balance-changed", "economy.dlq", "economy.ledger-changelog");

    public Topics {
        Objects.requireNonNull(earnRequests, "earnRequests");
        Objects.requireNonNull(spendRequests, "spendRequests");
        Objects.requireNonNull(results, "results");
        Objects.requireNonNull(balanceChanged, "balanceChanged");
        Objects.requireNonNull(dlq, "dlq");
        Objects.requireNonNull(changelog, "changelog");
    }

    public List<String> requestTopics() {
        return List.of(earnRequests, spendRequests);
    }

    /** The topics the worker writes in its Kafka transactions. */
    public List<String> written() {
        return List.of(results, balanceChanged, dlq, changelog);
    }

    public List<String> all() {
        return List.of(earnRequests, spendRequests, results, balanceChanged, dlq, changelog);
    }
}
