package dev.economyengine.store;

/** The database failed or holds something it should not: infrastructure, never a business outcome. */
public final class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * A failure with no cause to attach.
     *
     * @param message what failed
     */
    public StoreException(String message) {
        super(message);
    }

    /**
     * A failure, with the exception that caused it (usually SQLite's).
     *
     * @param message what failed
     * @param cause what the database reported
     */
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
