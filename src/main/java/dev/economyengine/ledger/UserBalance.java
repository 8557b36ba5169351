package dev.economyengine.ledger;

/** A user's balance and its balance-changed version; 0 and 0 for a user with no history. */
public record UserBalance(String userId, long balance, long version) {
    public static UserBalance empty(String userId) {
        return new UserBalance(userId, 0, 0);
    }
}
