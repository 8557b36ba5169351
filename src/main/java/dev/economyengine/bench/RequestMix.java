package dev.economyengine.bench;

import dev.economyengine.ledger.RequestType;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * A deterministic stream of request records shaped like a game's traffic: 60% earns (three earning
 * rules, and now and then an action with no rule, rejected), 40% spends of 1 to 150 coins (rejected
 * when the user cannot afford them), spread over many users with a few hot ones taking a tenth of the
 * traffic, and 2% sent again as a producer retry would (answered as duplicates).
 */
final class RequestMix {
    static final int HOT_USERS = 5;
    private static final String[] ACTIONS = {"daily_login", "game_completion", "game_win"};
    /** Earlier requests a duplicate may repeat; recent ones, as a retrying producer would. */
    private static final int RETRY_WINDOW = 4096;

    private final Random random;
    private final long seed;
    private final int users;
    private final String requestIdPrefix;
    private final RequestRecord[] recent = new RequestRecord[RETRY_WINDOW];
    private long sent;

    /** One request: the topic it goes to, its key (the user id) and its JSON body. */
    record RequestRecord(RequestType type, String userId, String requestId, byte[] value) {
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

    RequestRecord next() {
        if (sent > 0 && random.nextInt(100) < 2) {
            return recent[random.nextInt((int) Math.min(sent, RETRY_WINDOW))];
        }
        return remember(fresh(requestIdPrefix + sent));
    }

    /** A first-seen request with the given id, not remembered for retries. */
    RequestRecord fresh(String requestId) {
        String userId = random.nextInt(10) == 0 ? "hot-" + random.nextInt(HOT_USERS) : "u" + random.nextInt(users);
        if (random.nextInt(10) < 6) {
            String action = random.nextInt(100) == 0 ? "no_such_action" : ACTIONS[random.nextInt(ACTIONS.length)];
            return new RequestRecord(RequestType.EARN, userId, requestId, json("{\"requestId\":\"" + requestId
                    + "\",\"userId\":\"" + userId + "\",\"action\":\"" + action + "\"}"));
        }
        int amount = 1 + random.nextInt(150);
        return new RequestRecord(RequestType.SPEND, userId, requestId, json("{\"requestId\":\"" + requestId
                + "\",\"userId\":\"" + userId + "\",\"amount\":" + amount + ",\"reason\":\"sku:bench\"}"));
    }

    private RequestRecord remember(RequestRecord request) {
        recent[(int) (sent++ % RETRY_WINDOW)] = request;
        return request;
    }

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
