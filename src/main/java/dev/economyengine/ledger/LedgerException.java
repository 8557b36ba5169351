package dev.economyengine.ledger;

/** A request the embeddable ledger API refused; {@link #code()} says why, as in a result event. */
public class LedgerException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final ResultCode code;

    public LedgerException(ResultCode code, String message) {
        super(message);
        this.code = code;
    }

    public ResultCode code() {
        return code;
    }
}
