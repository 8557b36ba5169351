package dev.economyengine.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CommandLineTest {
    private static final Set<String> KNOWN = Set.of("--format", "--user");

    @Test
    void optionsTakeTheirValueAfterASpaceOrAnEqualsSign_andTheRestAreOperands() {
        CommandLine line = CommandLine.parse(List.of("a.db", "--format", "jsonl", "--user=bob", "b.db"), KNOWN);

        assertThat(line.options()).isEqualTo(Map.of("--format", "jsonl", "--user", "bob"));
        assertThat(line.operands()).containsExactly("a.db", "b.db");
    }

    @Test
    void valueMayBeEmptyOrStartWithADash() {
        CommandLine line = CommandLine.parse(List.of("--user=", "--format", "-x"), KNOWN);

        assertThat(line.option("--user")).contains("");
        assertThat(line.option("--format")).contains("-x");
    }

    @Test
    void doubleDash_endsTheOptions() {
        CommandLine line = CommandLine.parse(List.of("--user", "a", "--", "--format", "-"), KNOWN);

        assertThat(line.operands()).containsExactly("--format", "-");
        assertThat(line.option("--format")).isEmpty();
    }

    @Test
    void unknownOption_missingValue_andRepeatedOption_areUsageErrors() {
        assertThatThrownBy(() -> CommandLine.parse(List.of("--force"), KNOWN)).isInstanceOf(UsageException.class)
                .hasMessage("unknown option '--force'");
        assertThatThrownBy(() -> CommandLine.parse(List.of("--user"), KNOWN)).isInstanceOf(UsageException.class)
                .hasMessage("option --user needs a value");
        assertThatThrownBy(() -> CommandLine.parse(List.of("--user", "a", "--user=b"), KNOWN))
                .isInstanceOf(UsageException.class).hasMessage("option --user is given twice");
    }

    @Test
    void helpIsAskedForOnlyAsTheOnlyArgument() {
        assertThat(CommandLine.asksForHelp(List.of("--help"))).isTrue();
        assertThat(CommandLine.asksForHelp(List.of("-h"))).isTrue();
        assertThat(CommandLine.asksForHelp(List.of("--help", "x"))).isFalse();
        assertThat(CommandLine.asksForHelp(List.of())).isFalse();
    }
}
