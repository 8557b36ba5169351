package dev.economyengine.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.economyengine.testing.ConsoleCapture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
    @TempDir
    Path dir;

    private final ConsoleCapture console = new ConsoleCapture();

    @Test
    void help_printsTheUsageOfEveryCommand_andExitsZero() {
        for (String help : List.of("help", "--help", "-h")) {
            console.resetOut();

            int exit = main(help);

            assertThat(exit).isZero();
            assertThat(console.out()).startsWith("usage: economy-engine [command] [arguments]")
                    .contains("usage: economy-engine [run]", "usage: economy-engine demo",
                            "usage: economy-engine verify", "usage: economy-engine export",
                            "usage: economy-engine replay", "ECONOMY_LOG_FORMAT=json|text", "exit codes: 0 done");
        }
        assertThat(console.err()).isEmpty();
    }

    @Test
    void unknownCommand_printsUsageOnStderr_andExitsTwo() {
        int exit = main("serve");

        assertThat(exit).isEqualTo(2);
        assertThat(console.err()).startsWith("unknown command 'serve'").contains("usage: economy-engine [command]");
        assertThat(console.out()).isEmpty();
    }

    @Test
    void commandHelp_describesThatCommand_withoutNeedingAConfiguration() {
        Map<String, String> broken = Map.of("ECONOMY_CONFIG", dir.resolve("missing.properties").toString());

        assertThat(Main.run("replay", List.of("--help"), broken, console.outStream(), console.errStream())).isZero();
        assertThat(Main.run("run", List.of("--help"), broken, console.outStream(), console.errStream())).isZero();
        assertThat(Main.run("demo", List.of("-h"), broken, console.outStream(), console.errStream())).isZero();
        assertThat(Main.run("export", List.of("--help"), broken, console.outStream(), console.errStream())).isZero();
        assertThat(Main.run("verify", List.of("--help"), broken, console.outStream(), console.errStream())).isZero();

        assertThat(console.out()).contains("usage: economy-engine replay", "usage: economy-engine [run]",
                "usage: economy-engine demo", "usage: economy-engine export", "usage: economy-engine verify");
        assertThat(console.err()).isEmpty();
    }

    @Test
    void runWithABadEconomyFile_isAConfigurationErrorNamingTheField_exitTwo() throws IOException {
        Path rules = Files.writeString(dir.resolve("economy.json"), """
                {"defaultCurrency": "coins", "currencies": {"coins": {"cap": 0}}, "earningRules": {}}""");
        Map<String, String> env = Map.of("ECONOMY_CONFIG", Files.writeString(dir.resolve("e.properties"), "").toString(),
                "ECONOMY_RULES_FILE", rules.toString());

        int exit = Main.run("run", List.of(), env, console.outStream(), console.errStream());

        assertThat(exit).isEqualTo(2);
        assertThat(console.err()).startsWith("configuration error: " + rules).contains("currencies.coins.cap");
    }

    @Test
    void runOrDemoWithArguments_isAUsageError() {
        assertThat(main("run", "now")).isEqualTo(2);
        assertThat(main("demo", "--fast")).isEqualTo(2);

        assertThat(console.err()).contains("run takes no arguments, was given 'now'", "demo takes no arguments");
    }

    @Test
    void replayWithABrokenConfiguration_isAConfigurationError_exitTwo() {
        Map<String, String> env = Map.of("ECONOMY_CONFIG", dir.resolve("missing.properties").toString());

        int exit = Main.run("replay", List.of(), env, console.outStream(), console.errStream());

        assertThat(exit).isEqualTo(2);
        assertThat(console.err()).startsWith("configuration error: ECONOMY_CONFIG");
    }

    @Test
    void replayWithAMistypedVariable_isAConfigurationError_exitTwo() throws IOException {
        Path config = Files.writeString(dir.resolve("economy.properties"), "");
        Map<String, String> env = Map.of("ECONOMY_CONFIG", config.toString(),
                "ECONOMY_DATA_DIR", dir.resolve("data").toString(), "ECONOMY_TOPIC_PARTITON", "3");

        int exit = Main.run("replay", List.of(), env, console.outStream(), console.errStream());

        assertThat(exit).isEqualTo(2);
        assertThat(console.err()).isEqualTo("configuration error: unknown environment variable ECONOMY_TOPIC_PARTITON;"
                + " did you mean ECONOMY_TOPIC_PARTITIONS?" + System.lineSeparator());
    }

    @Test
    void replayWithoutBootstrapServers_exitsTwo() throws IOException {
        Path config = Files.writeString(dir.resolve("economy.properties"), "");

        int exit = Main.run("replay", List.of(), Map.of("ECONOMY_CONFIG", config.toString(),
                "ECONOMY_DATA_DIR", dir.resolve("data").toString()), console.outStream(), console.errStream());

        assertThat(exit).isEqualTo(2);
        assertThat(console.err()).contains("replay needs a Kafka cluster");
        assertThat(dir.resolve("data")).doesNotExist();
    }

    @Test
    void exportAndVerify_needNoConfiguration() {
        Map<String, String> broken = Map.of("ECONOMY_CONFIG", dir.resolve("missing.properties").toString());

        assertThat(Main.run("export", List.of(dir.resolve("shard-0.db").toString()), broken, console.outStream(), console.errStream()))
                .isEqualTo(2);
        assertThat(Main.run("verify", List.of(dir.resolve("shard-0.db").toString()), broken, console.outStream(), console.errStream()))
                .isEqualTo(2);

        assertThat(console.err()).doesNotContain("configuration error").contains("no shard file at");
    }

    @ParameterizedTest(name = "{0} on a terminal: {1}, elsewhere: {2}")
    @CsvSource({
        "run,    text, json",
        "verify, text, text",
        "export, text, text",
        "replay, text, text",
        "bench,  text, text",
        "demo,   text, text",
    })
    void logFormat_isTextOnATerminal_jsonForAWorkerWithoutOne_andTextForTheTools(String command, String onTerminal,
            String elsewhere) {
        assertThat(Main.logFormat(command, Map.of(), true)).isEqualTo(onTerminal);
        assertThat(Main.logFormat(command, Map.of(), false)).isEqualTo(elsewhere);
    }

    @Test
    void logFormatVariable_overridesTheDefault_caseAndSpacesAside_exceptForTheDemo() {
        assertThat(Main.logFormat("run", Map.of("ECONOMY_LOG_FORMAT", "text"), false)).isEqualTo("text");
        assertThat(Main.logFormat("run", Map.of("ECONOMY_LOG_FORMAT", " TEXT "), false)).isEqualTo("text");
        assertThat(Main.logFormat("run", Map.of("ECONOMY_LOG_FORMAT", "json"), true)).isEqualTo("json");
        assertThat(Main.logFormat("replay", Map.of("ECONOMY_LOG_FORMAT", "json"), false)).isEqualTo("json");
        assertThat(Main.logFormat("run", Map.of("ECONOMY_LOG_FORMAT", ""), false)).isEqualTo("json");
        assertThat(Main.logFormat("run", Map.of("ECONOMY_LOG_FORMAT", ""), true)).isEqualTo("text");
        assertThat(Main.logFormat("demo", Map.of("ECONOMY_LOG_FORMAT", "json"), false)).isEqualTo("text");
    }

    @Test
    void unknownLogFormat_isRejectedWithTheVariableNamed() {
        assertThatThrownBy(() -> Main.logFormat("run", Map.of("ECONOMY_LOG_FORMAT", "xml"), false))
                .isInstanceOf(UsageException.class)
                .hasMessage("ECONOMY_LOG_FORMAT must be json or text, was 'xml'");
    }

    private int main(String command, String... args) {
        return Main.run(command, List.of(args), Map.of(), console.outStream(), console.errStream());
    }
}
