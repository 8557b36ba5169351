package dev.economyengine.store;

/** A history cursor that is malformed or was issued for another user. */
public final class InvalidCursorException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /**
     * A refused cursor.
     *
     * @param message what is wrong with it
     */
    public InvalidCursorException(String message) {
        super(message);
    }
}
