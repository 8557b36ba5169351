package dev.economyengine.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.economyengine.testing.CommandProcess;
import dev.economyengine.testing.EconomyClient;
import dev.economyengine.testing.EconomyTestEnvironment;
import dev.economyengine.testing.LedgerAudit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One process per data directory, between real processes: a worker runs on a data directory throughout,
 * and every other command is started beside it, on the same configuration.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DataDirectoryLockTest {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    static Path workDir;

    private EconomyTestEnvironment environment;
    private CommandProcess running;
    private Map<Integer, String> stateHashesBefore;

    @BeforeAll
    void startAWorkerThatHasAppliedARequest() {
        environment = new EconomyTestEnvironment(workDir, 2);
        running = CommandProcess.start(List.of("run"), environment.env(), workDir, "running");
        running.awaitReady();
        try (EconomyClient client = new EconomyClient(environment)) {
            client.earn("r1", "alice", "daily_login");
            client.awaitResults(1);
        }
        stateHashesBefore = stateHashes();
    }

    /** The running worker's shards, read beside it: a refused command must leave them as they were. */
    private Map<Integer, String> stateHashes() {
        Map<Integer, String> hashes = new TreeMap<>();
        await().atMost(COMMAND_TIMEOUT).untilAsserted(() -> {
            hashes.clear();
            LedgerAudit.verifyShards(environment.dataDir()).forEach(r -> hashes.put(r.shardId(), r.stateHash()));
            assertThat(hashes).as("shards written").isNotEmpty();
        });
        return hashes;
    }

    @AfterAll
    void theWorkerWasNeverDisturbed_andStopsAsUsual() {
        try (CommandProcess worker = running) {
            assertThat(worker.isAlive()).isTrue();
            assertThat(stateHashes()).as("the running worker's ledger, untouched").isEqualTo(stateHashesBefore);
            worker.terminate();
            assertThat(worker.awaitExit(COMMAND_TIMEOUT)).as("exit code after SIGTERM (128 + 15)").hasValue(143);
        } finally {
            CommandProcess.keepOutputs(workDir, "DataDirectoryLockTest");
        }
    }

    @ParameterizedTest(name = "{0} is refused")
    @CsvSource(delimiter = '|', value = {
        "run    | stop it or set ECONOMY_DATA_DIR to another directory",
        "replay | stop it first: replay rebuilds shards only while no worker uses their data directory",
    })
    void commandThatWrites_onADataDirectoryInUse_isRefusedInOneLineNamingItsOwner_exitTwo(String command,
            String remedy) {
        CommandProcess refused = CommandProcess.run(List.of(command), environment.env(), workDir, command,
                COMMAND_TIMEOUT);

        assertThat(refused.exitCode()).as(refused.stderr()).isEqualTo(2);
        assertThat(refused.stderr().lines()).containsExactly("data directory " + environment.dataDir()
                + " is in use by process " + running.pid() + " (economy-engine run); " + remedy);
        assertThat(refused.stdout()).isEmpty();
        assertThat(running.isAlive()).isTrue();
    }

    @ParameterizedTest(name = "{0} reads the shards beside the worker")
    @ValueSource(strings = {"verify", "export"})
    void readOnlyCommand_withNoPath_readsTheShardsOfTheDataDirectoryInUse(String command) {
        CommandProcess reader = CommandProcess.run(List.of(command), environment.env(), workDir, command,
                COMMAND_TIMEOUT);

        assertThat(reader.exitCode()).as(reader.stderr()).isZero();
        assertThat(reader.stdout()).contains(command.equals("verify") ? "  OK  " : ",alice,r1,EARN,coins,10,");
        assertThat(running.isAlive()).isTrue();
    }

    @Test
    void killedWorker_leavesNoStaleLock_theNextTakesItsDataDirectoryAndHoldsItInTurn() throws IOException {
        Path dir = Files.createDirectories(workDir.resolve("killed"));
        EconomyTestEnvironment killedOnes = new EconomyTestEnvironment(dir, 1);
        CommandProcess first = CommandProcess.start(List.of("run"), killedOnes.env(), dir, "first");
        first.awaitReady();
        first.kill();

        try (CommandProcess next = CommandProcess.start(List.of("run"), killedOnes.env(), dir, "next")) {
            next.awaitReady();
            CommandProcess third = CommandProcess.run(List.of("run"), killedOnes.env(), dir, "third", COMMAND_TIMEOUT);

            assertThat(third.exitCode()).isEqualTo(2);
            assertThat(third.stderr()).contains("is in use by process " + next.pid() + " (economy-engine run)");
            next.terminate();
            assertThat(next.awaitExit(COMMAND_TIMEOUT)).hasValue(143);
        } finally {
            CommandProcess.keepOutputs(dir, "DataDirectoryLockTest-killed");
        }
    }
}
