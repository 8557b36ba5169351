package dev.economyengine.ledger;

/** What a request asks for: coins credited to the user (EARN) or debited from the user (SPEND). */
public enum RequestType {
    EARN,
    SPEND
}
