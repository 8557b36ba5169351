package dev.economyengine.ledger;

/**
 * A request the embeddable ledger API refused; {@link #code()} says why, as in a result event. Nothing of
 * a refused request is written. Its subclasses name the two refusals a caller usually handles.
 */
public class LedgerException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    /** Why the request was refused. */
    private final ResultCode code;

    /**
     * A refusal.
     *
     * @param code why the request was refused: never {@link ResultCode#OK}
     * @param message what was refused, for people
     */
    public LedgerException(ResultCode code, String message) {
        super(message);
        this.code = code;
    }

    /**
     * Why the request was refused.
     *
     * @return the rejection code
     */
    public ResultCode code() {
        return code;
    }
}
