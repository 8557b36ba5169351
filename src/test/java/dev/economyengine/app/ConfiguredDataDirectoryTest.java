package dev.economyengine.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.economyengine.ledger.Request;
import dev.economyengine.store.ShardStore;
import dev.economyengine.store.StoreOptions;
import dev.economyengine.testing.ConsoleCapture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * verify and export given no path read the configured data directory's shards, as an operator on the
 * worker's host expects: ECONOMY_DATA_DIR, else data.dir in the configuration file (else ./data, the
 * default ConfigLoaderTest checks). A path given still wins.
 */
class ConfiguredDataDirectoryTest {
    @TempDir
    Path dir;

    private final ConsoleCapture console = new ConsoleCapture();
    private final Map<String, String> env = new HashMap<>();
    private Path configFile;

    @BeforeEach
    void emptyConfigurationFile() throws IOException {
        configFile = Files.writeString(dir.resolve("economy.properties"), "");
        env.put("ECONOMY_CONFIG", configFile.toString());
    }

    @ParameterizedTest(name = "{0} with no path reads data.dir set in the {1}")
    @CsvSource({"verify, environment", "verify, file", "export, environment", "export, file"})
    void noPath_readsTheShardsOfTheConfiguredDataDirectory(String command, String setIn) throws IOException {
        Path dataDir = dataDirWithShardsOf("alice", "bob");
        if (setIn.equals("environment")) {
            env.put("ECONOMY_DATA_DIR", dataDir.toString());
        } else {
            Files.writeString(configFile, "data.dir=" + dataDir + "\n");
        }

        int exit = Main.run(command, List.of(), env, console.outStream(), console.errStream());

        assertThat(exit).as(console.err()).isZero();
        Path ledger = dataDir.resolve("ledger");
        assertThat(console.out()).contains(expectedOutput(command, ledger.resolve("shard-0.db"), 0, "alice"),
                expectedOutput(command, ledger.resolve("shard-1.db"), 1, "bob"));
    }

    @ParameterizedTest(name = "{0} given a path ignores the configured data directory")
    @ValueSource(strings = {"verify", "export"})
    void givenPath_winsOverTheConfiguredDataDirectory(String command) throws IOException {
        Path configured = dataDirWithShardsOf("alice", "bob");
        env.put("ECONOMY_DATA_DIR", configured.toString());
        Path given = Files.createDirectories(dir.resolve("elsewhere"));
        shard(given.resolve("shard-7.db"), 7, "carol");

        int exit = Main.run(command, List.of(given.toString()), env, console.outStream(), console.errStream());

        assertThat(exit).as(console.err()).isZero();
        assertThat(console.out()).contains(expectedOutput(command, given.resolve("shard-7.db"), 7, "carol"))
                .doesNotContain("alice", "shard-0.db");
    }

    @ParameterizedTest(name = "{0} with no path and no shards names the data directory")
    @ValueSource(strings = {"verify", "export"})
    void noPath_andNoShardsInTheConfiguredDataDirectory_namesIt_andExitsTwo(String command) {
        env.put("ECONOMY_DATA_DIR", dir.resolve("empty").toString());

        int exit = Main.run(command, List.of(), env, console.outStream(), console.errStream());

        assertThat(exit).isEqualTo(2);
        assertThat(console.err()).startsWith("no shard files in the data directory " + dir.resolve("empty")
                + " (data.dir, ECONOMY_DATA_DIR)");
        assertThat(console.out()).isEmpty();
    }

    @ParameterizedTest(name = "{0} with no path and a broken configuration is a configuration error")
    @ValueSource(strings = {"verify", "export"})
    void noPath_withABrokenConfiguration_isAConfigurationError_exitTwo(String command) {
        env.put("ECONOMY_CONFIG", dir.resolve("missing.properties").toString());

        int exit = Main.run(command, List.of(), env, console.outStream(), console.errStream());

        assertThat(exit).isEqualTo(2);
        assertThat(console.err()).startsWith("configuration error: ECONOMY_CONFIG");
    }

    /** verify prints a line per shard file; export a row per entry, with the user. */
    private static String expectedOutput(String command, Path file, int shard, String user) {
        return command.equals("verify") ? "shard " + shard + "  " + file + "  OK" : "," + user + ",r1,EARN,coins,100,";
    }

    /** A data directory as the worker leaves it: one shard per user in ledger/. */
    private Path dataDirWithShardsOf(String... users) throws IOException {
        Path ledger = Files.createDirectories(dir.resolve("data").resolve("ledger"));
        for (int shard = 0; shard < users.length; shard++) {
            shard(ledger.resolve("shard-" + shard + ".db"), shard, users[shard]);
        }
        return ledger.getParent();
    }

    private static void shard(Path file, int shardId, String user) {
        try (ShardStore store = ShardStore.open(file, shardId, StoreOptions.defaults())) {
            store.apply(List.of(new Request.Earn("r1", user, 100, "quest", null)));
        }
    }
}
