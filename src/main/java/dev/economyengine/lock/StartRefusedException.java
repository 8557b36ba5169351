package dev.economyengine.lock;

/**
 * A start that the machine refuses, not a bug: a directory another process uses, a port another program
 * listens on. The message says what and how to fix it in one line; {@code Main} prints it alone, without
 * a stack trace, and exits 2, as for a bad configuration.
 */
public final class StartRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StartRefusedException(String message) {
        super(message);
    }
}
