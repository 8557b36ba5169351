package dev.economyengine.ledger;

/** Why a request ended the way it did; {@link #OK} is the only code of an accepted request. */
public enum ResultCode {
    /** Accepted and applied. */
    OK,
    /** A spend of more than the user's balance in its currency. */
    INSUFFICIENT_BALANCE,
    /** An earn that would take the user's balance past its currency's cap. */
    BALANCE_CAP_EXCEEDED,
    /** An earn request whose action has no earning rule (the Kafka worker only). */
    UNKNOWN_ACTION,
    /** A request with a missing or bad field (the Kafka worker only; the message names the field). */
    INVALID_REQUEST,
    /** A request in a currency the economy does not have. */
    UNKNOWN_CURRENCY,
    /** An earn over a count limit of its action or an amount limit of its currency; the message names the limit. */
    LIMIT_REACHED
}
