package dev.economyengine.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.economyengine.docs.MarkdownTables.Table;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parser the document tests share: tables by header, cells with escaped pipes, code blocks skipped. */
class MarkdownTablesTest {
    @TempDir
    Path dir;

    @Test
    void aTable_isFoundByItsHeader_withOneMapPerRow() throws IOException {
        Table table = tables("""
                # Title

                | name | value |
                |---|---:|
                | `a` | 1 |
                | b | |

                After the table.
                """).withHeader("name", "value");

        assertThat(table.rows()).containsExactly(Map.of("name", "`a`", "value", "1"), Map.of("name", "b", "value", ""));
        assertThat(table.column("value")).containsExactly("1", "");
    }

    @Test
    void anEscapedPipe_staysInItsCell() throws IOException {
        Table table = tables("""
                | command | what |
                |---|---|
                | `export [--format csv\\|jsonl]` | a ledger |
                """).withHeader("command", "what");

        assertThat(MarkdownTables.onlyCodeSpan(table.rows().get(0).get("command"))).contains("export [--format csv|jsonl]");
    }

    @Test
    void aTableInsideACodeBlock_isNotATable() throws IOException {
        MarkdownTables tables = tables("""
                ```
                | name | value |
                |---|---|
                | a | 1 |
                ```
                """);

        assertThatThrownBy(() -> tables.withHeader("name", "value")).hasMessageContaining("has 0 tables");
    }

    @Test
    void twoTablesWithOneHeader_areAnError() throws IOException {
        MarkdownTables tables = tables("""
                | name | value |
                |---|---|
                | a | 1 |

                | name | value |
                |---|---|
                | b | 2 |
                """);

        assertThatThrownBy(() -> tables.withHeader("name", "value")).hasMessageContaining("has 2 tables");
    }

    @Test
    void aRowWithTheWrongNumberOfCells_isAnError() {
        assertThatThrownBy(() -> tables("""
                | name | value |
                |---|---|
                | a | 1 | 2 |
                """)).hasMessageContaining("line 3 has 3 cells");
    }

    @Test
    void codeSpans_areEveryBacktickedPart_andOnlyCodeSpan_theWholeCell() {
        assertThat(MarkdownTables.codeSpans("`a.b`, `c` or d")).containsExactly("a.b", "c");
        assertThat(MarkdownTables.onlyCodeSpan(" `a.b` ")).contains("a.b");
        assertThat(MarkdownTables.onlyCodeSpan("`a` if present")).isEmpty();
    }

    private MarkdownTables tables(String markdown) throws IOException {
        Path file = dir.resolve("doc.md");
        Files.writeString(file, markdown);
        return MarkdownTables.of(file);
    }
}
