package dev.economyengine.ledger;

/** Thrown by the embeddable ledger API when a spend exceeds the user's balance. */
public final class InsufficientBalanceException extends LedgerException {
    private static final long serialVersionUID = 1L;

    /**
     * A spend refused because of the balance.
     *
     * @param message what was refused, for people
     */
    public InsufficientBalanceException(String message) {
        super(ResultCode.INSUFFICIENT_BALANCE, message);
    }
}
