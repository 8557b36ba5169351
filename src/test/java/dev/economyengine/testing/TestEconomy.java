package dev.economyengine.testing;

import dev.economyengine.config.RulesLoader;
import dev.economyengine.ledger.Economy;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The economy of the tests that are not about limits: the shipped one without its limits, so that a test
 * may earn {@code daily_login} for one user as often as it likes. Tests of limits name their own file.
 */
public final class TestEconomy {
    /** Absolute: a worker started in another process reads it too. */
    public static final Path WITHOUT_LIMITS =
            Path.of("src", "test", "resources", "economy", "without-limits.json").toAbsolutePath();

    private TestEconomy() {}

    public static Economy withoutLimits() {
        return RulesLoader.load(Optional.of(WITHOUT_LIMITS));
    }
}
