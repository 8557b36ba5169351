package dev.economyengine.ledger;

/** Thrown by the embeddable ledger API when a credit would take a balance past {@link Money#MAX_BALANCE}. */
public final class BalanceCapExceededException extends LedgerException {
    private static final long serialVersionUID = 1L;

    /**
     * An earn refused because of the cap.
     *
     * @param message what was refused, for people
     */
    public BalanceCapExceededException(String message) {
        super(ResultCode.BALANCE_CAP_EXCEEDED, message);
    }
}
