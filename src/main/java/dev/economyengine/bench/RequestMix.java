package dev.economyengine.bench;

import dev.economyengine.ledger.RequestType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A deterministic stream of request records shaped like the traffic of a game on the shipped economy
 * ({@code config/economy.json}): mostly coin earns for games played, a daily login now and then (paid
 * once per calendar day, so a second one the same day is LIMIT_REACHED), a rare first purchase (gems,
 * once ever), spends mostly in coins and some in gems, an action with no rule now and then (rejected);
 * spread over many users with a few hot ones taking a tenth of the traffic, and 2% sent again as a
 * producer retry would (answered as duplicates). The shares are {@link Kind}'s.
 *
 * <p>A gem spend comes from a user who was sent a first purchase earlier, as a player spends gems only
 * once they have some; so most gem spends are accepted rather than rejected for want of gems.
 */
final class RequestMix {
    static final int HOT_USERS = 5;
    /** Earlier requests a duplicate may repeat; recent ones, as a retrying producer would. */
    private static final int RETRY_WINDOW = 4096;
    private static final int DUPLICATES_PERCENT = 2;
    private static final int MAX_COIN_SPEND = 150;
    /** A first purchase pays floor(100 × 1.5) = 150 gems: a paying user affords a few gem spends. */
    private static final int MAX_GEM_SPEND = 30;

    /** What a fresh request is, with its share of fresh requests in thousandths (they sum to 1000). */
    enum Kind {
        GAME_COMPLETION(RequestType.EARN, "game_completion", "coins", 300),
        GAME_WIN(RequestType.EARN, "game_win", "coins", 220),
        DAILY_LOGIN(RequestType.EARN, "daily_login", "coins", 60),
        FIRST_PURCHASE(RequestType.EARN, "first_purchase", "gems", 10),
        UNKNOWN_ACTION(RequestType.EARN, "no_such_action", null, 5),
        COIN_SPEND(RequestType.SPEND, null, "coins", 355),
        GEM_SPEND(RequestType.SPEND, null, "gems", 50);

        private final RequestType type;
        /** The earn's action; null for a spend. */
        private final String action;
        /** The currency it is decided in; null for an action with no rule. */
        private final String currency;
        private final int perMille;

        Kind(RequestType type, String action, String currency, int perMille) {
            this.type = type;
            this.action = action;
            this.currency = currency;
            this.perMille = perMille;
        }

        RequestType type() {
            return type;
        }

        /** Its share of fresh requests, 0 to 1. */
        double share() {
            return perMille / 1000.0;
        }

        /** Its name in the JSON report: the earn's action, or "spend_" and the currency. */
        String key() {
            return type == RequestType.EARN ? action : "spend_" + currency;
        }

        /** For example "earn game_win (coins)" or "spend gems". */
        String label() {
            return type == RequestType.EARN
                    ? "earn " + action + " (" + (currency != null ? currency : "no rule") + ")"
                    : "spend " + currency;
        }

        private static Kind of(int perMilleDraw) {
            int upTo = 0;
            for (Kind kind : values()) {
                upTo += kind.perMille;
                if (perMilleDraw < upTo) {
                    return kind;
                }
            }
            throw new IllegalStateException("the shares sum to " + upTo + " thousandths, not 1000");
        }
    }

    private final Random random;
    private final long seed;
    private final int users;
    private final String requestIdPrefix;
    private final RequestRecord[] recent = new RequestRecord[RETRY_WINDOW];
    /** Users sent a first purchase, in the order first sent one: those who may spend gems. */
    private final List<String> payers = new ArrayList<>();
    private final Set<String> payerSet = new HashSet<>();
    private long sent;

    /** One request: what it is, its key (the user id) and its JSON body. */
    record RequestRecord(Kind kind, String userId, String requestId, byte[] value) {
        RequestType type() {
            return kind.type();
        }

        byte[] key() {
            return userId.getBytes(StandardCharsets.UTF_8);
        }
    }

    RequestMix(long seed, int users, String requestIdPrefix) {
        this.seed = seed;
        this.random = new Random(seed);
        this.users = users;
        this.requestIdPrefix = requestIdPrefix;
    }

    /** The same requests again, from the first: a new mix of the same seed, users and ids. */
    RequestMix again() {
        return new RequestMix(seed, users, requestIdPrefix);
    }

    /** The prefix of every request id it makes with {@link #next()}; the rest is the request's number. */
    String requestIdPrefix() {
        return requestIdPrefix;
    }

    RequestRecord next() {
        if (sent > 0 && random.nextInt(100) < DUPLICATES_PERCENT) {
            return recent[random.nextInt((int) Math.min(sent, RETRY_WINDOW))];
        }
        return remember(fresh(requestIdPrefix + sent));
    }

    /** A first-seen request with the given id, not remembered for retries. */
    RequestRecord fresh(String requestId) {
        Kind kind = Kind.of(random.nextInt(1000));
        String userId = kind == Kind.GEM_SPEND && !payers.isEmpty() ? payers.get(random.nextInt(payers.size()))
                : randomUser();
        if (kind == Kind.FIRST_PURCHASE && payerSet.add(userId)) {
            payers.add(userId);
        }
        String body = switch (kind.type()) {
            case EARN -> "{\"requestId\":\"" + requestId + "\",\"userId\":\"" + userId + "\",\"action\":\""
                    + kind.action + "\"}";
            // A coin spend names no currency, as a client from before currencies sends it: the default.
            case SPEND -> "{\"requestId\":\"" + requestId + "\",\"userId\":\"" + userId + "\",\"amount\":"
                    + (1 + random.nextInt(kind == Kind.GEM_SPEND ? MAX_GEM_SPEND : MAX_COIN_SPEND))
                    + (kind == Kind.GEM_SPEND ? ",\"currency\":\"gems\"" : "") + ",\"reason\":\"sku:bench\"}";
        };
        return new RequestRecord(kind, userId, requestId, body.getBytes(StandardCharsets.UTF_8));
    }

    private String randomUser() {
        return random.nextInt(10) == 0 ? "hot-" + random.nextInt(HOT_USERS) : "u" + random.nextInt(users);
    }

    private RequestRecord remember(RequestRecord request) {
        recent[(int) (sent++ % RETRY_WINDOW)] = request;
        return request;
    }

    /** Each kind's key and share of fresh requests, in the order of {@link Kind}. */
    static Map<String, Double> shares() {
        Map<String, Double> shares = new LinkedHashMap<>();
        for (Kind kind : Kind.values()) {
            shares.put(kind.key(), kind.share());
        }
        return shares;
    }

    /** One line for a report, for example "30.0% earn game_completion (coins), ..., 2% sent twice". */
    static String describe() {
        return Arrays.stream(Kind.values())
                .map(kind -> String.format(Locale.ROOT, "%.1f%% %s", kind.share() * 100, kind.label()))
                .collect(Collectors.joining(", ")) + String.format(Locale.ROOT, "; coin spends of 1 to %d, gem spends"
                        + " of 1 to %d by users sent a first purchase; %d%% of requests sent again as duplicates",
                MAX_COIN_SPEND, MAX_GEM_SPEND, DUPLICATES_PERCENT);
    }

    /** The share of all requests that are duplicates, 0 to 1. */
    static double duplicateShare() {
        return DUPLICATES_PERCENT / 100.0;
    }
}
