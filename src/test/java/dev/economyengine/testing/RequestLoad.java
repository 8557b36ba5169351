package dev.economyengine.testing;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/**
 * Random earn and spend requests for a small set of users, some of them sent twice as a producer
 * retry would. Remembers how many times each (userId, requestId) was sent.
 */
public final class RequestLoad {
    private EconomyClient client;
    private final Random random;
    private final int users;
    private final Map<String, Integer> timesSent = new HashMap<>();
    private final Map<String, String> bodies = new HashMap<>();
    private int next;

    public RequestLoad(EconomyClient client, long seed, int users) {
        this.client = client;
        this.random = new Random(seed);
        this.users = users;
    }

    /** Publishes {@code count} requests, acknowledged by the broker one by one. */
    public void send(int count) {
        for (int i = 0; i < count; i++) {
            if (next > 0 && random.nextInt(20) == 0) {
                resendEarlier();
                continue;
            }
            String user = "user-" + random.nextInt(users);
            String requestId = "r" + next++;
            if (random.nextInt(10) < 6) {
                String action = random.nextBoolean() ? "daily_login" : "game_completion";
                client.earn(requestId, user, action);
                bodies.put(key(user, requestId), "earn:" + action);
            } else {
                long amount = 1 + random.nextInt(60);
                client.spend(requestId, user, amount);
                bodies.put(key(user, requestId), "spend:" + amount);
            }
            timesSent.merge(key(user, requestId), 1, Integer::sum);
        }
    }

    /**
     * Publishes {@code count} more requests through another client, as one load with what was sent before
     * (for a client made after a broker restart).
     */
    public void sendThrough(EconomyClient other, int count) {
        EconomyClient previous = client;
        client = other;
        try {
            send(count);
        } finally {
            client = previous;
        }
    }

    private void resendEarlier() {
        String key = bodies.keySet().stream().skip(random.nextInt(bodies.size())).findFirst().orElseThrow();
        String[] userAndId = key.split("/", 2);
        String[] body = bodies.get(key).split(":", 2);
        if (body[0].equals("earn")) {
            client.earn(userAndId[1], userAndId[0], body[1]);
        } else {
            client.spend(userAndId[1], userAndId[0], Long.parseLong(body[1]));
        }
        timesSent.merge(key, 1, Integer::sum);
    }

    /** How many times each "userId/requestId" was published. */
    public Map<String, Integer> timesSent() {
        return Map.copyOf(timesSent);
    }

    public int totalSent() {
        return timesSent.values().stream().mapToInt(Integer::intValue).sum();
    }

    static String key(String userId, String requestId) {
        return userId + "/" + requestId;
    }
}
