package dev.economyengine.store;

/** A history cursor that is malformed or was issued for another user. */
public final class InvalidCursorException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InvalidCursorException(String message) {
        super(message);
    }
}
