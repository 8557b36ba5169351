package dev.economyengine.ledger;

/** Why a request ended the way it did; {@link #OK} is the only code of an accepted request. */
public enum ResultCode {
    OK,
    INSUFFICIENT_BALANCE,
    BALANCE_CAP_EXCEEDED,
    UNKNOWN_ACTION,
    INVALID_REQUEST
}
