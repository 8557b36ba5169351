package dev.economyengine.ledger;

/** Names of ledger accounts: one per user, and the reserve every coin comes from and returns to. */
public final class Accounts {
    public static final String RESERVE = "system:reserve";
    private static final String USER_PREFIX = "user:";

    private Accounts() {}

    public static String user(String userId) {
        return USER_PREFIX + userId;
    }

    public static boolean isUser(String account) {
        return account.startsWith(USER_PREFIX);
    }
}
