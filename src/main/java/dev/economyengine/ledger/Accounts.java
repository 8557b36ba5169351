package dev.economyengine.ledger;

/** Names of ledger accounts: one per user, and the reserve every coin comes from and returns to. */
public final class Accounts {
    /** The reserve's account, {@value}: every earn debits it, every spend credits it. */
    public static final String RESERVE = "system:reserve";
    private static final String USER_PREFIX = "user:";

    private Accounts() {}

    /**
     * The account of a user.
     *
     * @param userId the user
     * @return {@code "user:"} followed by the user id
     */
    public static String user(String userId) {
        return USER_PREFIX + userId;
    }

    /**
     * Whether an account is a user's, rather than the reserve.
     *
     * @param account an entry's account
     * @return true for a user's account
     */
    public static boolean isUser(String account) {
        return account.startsWith(USER_PREFIX);
    }
}
