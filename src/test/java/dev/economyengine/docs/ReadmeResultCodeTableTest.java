package dev.economyengine.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.economyengine.docs.MarkdownTables.Table;
import dev.economyengine.ledger.ResultCode;
import dev.economyengine.ledger.Status;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The README's result-code table against {@link ResultCode}, in both directions, with each code's status. */
class ReadmeResultCodeTableTest {
    private final Table table = MarkdownTables.of(Path.of("README.md")).withHeader("code", "status", "when");

    @Test
    void theTableListsEveryResultCode_andNothingElse() {
        assertThat(table.column("code").stream().map(ReadmeResultCodeTableTest::code))
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(ResultCode.values()).map(Enum::name).toList());
    }

    @Test
    void onlyOk_isAccepted_everyOtherCodeIsARejection() {
        for (Map<String, String> row : table.rows()) {
            ResultCode code = ResultCode.valueOf(code(row.get("code")));
            Status status = code == ResultCode.OK ? Status.ACCEPTED : Status.REJECTED;

            assertThat(row.get("status")).as("the status of %s", code).isEqualTo(status.name());
            assertThat(row.get("when")).as("when %s", code).isNotBlank();
        }
    }

    private static String code(String cell) {
        return MarkdownTables.onlyCodeSpan(cell)
                .orElseThrow(() -> new AssertionError("a code cell is one code span, was '" + cell + "'"));
    }
}
