package dev.economyengine.app;

/** A command line that cannot be run as given: the command prints the message and its usage, and exits 2. */
final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
