package dev.economyengine.ledger;

/** What a request asks for: coins credited to the user (EARN) or debited from the user (SPEND). */
public enum RequestType {
    /** Coins credited to the user, from the reserve. */
    EARN,
    /** Coins debited from the user, back to the reserve. */
    SPEND
}
