package dev.economyengine.config;

import java.util.Objects;

/**
 * A configured secret, such as a bearer token: {@link #toString()} never shows it, so that no log line,
 * error message or printed configuration record can leak it. Only {@link #reveal()} gives the value.
 */
public final class Secret {
    private final String value;

    Secret(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    /** The secret itself, for the one place that must compare it. */
    public String reveal() {
        return value;
    }

    @Override
    public String toString() {
        return "****";
    }
}
