package dev.economyengine.ledger;

public enum Status {
    ACCEPTED,
    REJECTED
}
