package dev.economyengine.http;

import dev.economyengine.http.ShardLocator.Placement;
import dev.economyengine.ledger.Currency;
import dev.economyengine.ledger.Economy;
import dev.economyengine.store.InvalidCursorException;
import dev.economyengine.store.ShardStore;
import dev.economyengine.store.StoreException;
import dev.economyengine.store.TransactionPage;
import dev.economyengine.wire.EventEncoder;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/** The query API proper: a user's balances, history, usage of the earn limits and stored request results. */
final class UserQueries {
    /** Seconds a client should wait before asking again while data is briefly unavailable. */
    static final String RETRY_AFTER_SECONDS = "1";
    private static final Pattern WHOLE_NUMBER = Pattern.compile("[0-9]{1,9}");

    private final ShardLocator locator;
    private final EventEncoder events;
    private final Economy economy;
    private final Clock clock;

    /** @param clock the time the usage of limits is shown at (earns are judged at their records' times) */
    UserQueries(ShardLocator locator, EventEncoder events, Economy economy, Clock clock) {
        this.locator = locator;
        this.events = events;
        this.economy = economy;
        this.clock = clock;
    }

    Reply balance(String userId, RequestTarget target) {
        return atOwner(userId, target, shard -> Reply.json(200, JsonBodies.balance(shard.balances(userId), economy)));
    }

    Reply limits(String userId, RequestTarget target) {
        return atOwner(userId, target, shard -> Reply.json(200,
                JsonBodies.limits(userId, economy, shard.limitUsages(userId), clock.instant())));
    }

    Reply transactions(String userId, RequestTarget target) {
        Optional<String> limitText = target.parameter("limit");
        int limit = TransactionPage.DEFAULT_LIMIT;
        if (limitText.isPresent()) {
            limit = WHOLE_NUMBER.matcher(limitText.get()).matches() ? Integer.parseInt(limitText.get()) : -1;
            if (limit < 1 || limit > TransactionPage.MAX_LIMIT) {
                return Reply.error(400, "invalid_limit", "limit must be a whole number from 1 to "
                        + TransactionPage.MAX_LIMIT + ", was '" + limitText.get() + "'");
            }
        }
        Optional<String> cursor = target.parameter("cursor");
        if (cursor.isPresent() && cursor.get().isEmpty()) {
            return Reply.error(400, "invalid_cursor", "cursor is empty; leave it out for the first page");
        }
        Optional<String> currency = target.parameter("currency");
        if (currency.isPresent() && economy.currency(currency.get()).isEmpty()) {
            return Reply.error(400, "unknown_currency", "currency '" + currency.get() + "' is not one of the"
                    + " economy's currencies " + economy.currencies().stream().map(Currency::code).toList());
        }
        int pageSize = limit;
        return atOwner(userId, target, shard -> {
            try {
                TransactionPage page = shard.transactions(userId, pageSize, cursor.orElse(null), currency.orElse(null));
                return Reply.json(200, JsonBodies.transactions(page));
            } catch (InvalidCursorException e) {
                return Reply.error(400, "invalid_cursor", e.getMessage());
            }
        });
    }

    /** The stored result, byte for byte the result event first published for the request. */
    Reply result(String userId, String requestId, RequestTarget target) {
        return atOwner(userId, target, shard -> shard.result(userId, requestId)
                .map(result -> Reply.json(200, events.result(result)))
                .orElseGet(() -> Reply.error(404, "request_not_found",
                        "no result is stored for request '" + requestId + "' of user '" + userId + "'")));
    }

    private Reply atOwner(String userId, RequestTarget target, Function<ShardStore, Reply> query) {
        Placement placement = locator.locate(userId);
        if (placement instanceof Placement.Here here) {
            try {
                return query.apply(here.shard());
            } catch (StoreException e) {
                // Most likely a rebalance closed the shard under the query.
                return unavailable("shard_unavailable", "the user's shard cannot be read right now: " + e.getMessage());
            }
        }
        if (placement instanceof Placement.Elsewhere elsewhere) {
            String location = elsewhere.ownerUrl() + target.rawPathAndQuery();
            return Reply.json(307, JsonBodies.notOwner("user '" + userId + "' is in partition "
                            + elsewhere.partition() + ", owned by " + elsewhere.ownerUrl(), elsewhere.ownerUrl(),
                            elsewhere.partition()))
                    .withHeader("Location", location);
        }
        Placement.Unavailable unavailable = (Placement.Unavailable) placement;
        if (unavailable.state() != null) {
            return Reply.json(503, JsonBodies.notLive(unavailable.error(), unavailable.state(), unavailable.message()))
                    .withHeader("Retry-After", RETRY_AFTER_SECONDS);
        }
        return unavailable(unavailable.error(), unavailable.message());
    }

    private static Reply unavailable(String error, String message) {
        return Reply.error(503, error, message).withHeader("Retry-After", RETRY_AFTER_SECONDS);
    }
}
