package dev.economyengine.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pipe tables of a markdown document, as the tests that hold the documents to the code read them:
 * a table is found by its header row, and a cell is its text as written, with {@code \|} read as a pipe.
 * The code spans of a cell (between backticks) are what the tests compare with names in the code.
 */
public final class MarkdownTables {
    private static final Pattern CODE_SPAN = Pattern.compile("`([^`]+)`");
    private static final Pattern DELIMITER_ROW = Pattern.compile("\\|?(\\s*:?-+:?\\s*\\|)+\\s*:?-*:?\\s*");

    private final Path document;
    private final List<Table> tables;

    private MarkdownTables(Path document, List<Table> tables) {
        this.document = document;
        this.tables = List.copyOf(tables);
    }

    public static MarkdownTables of(Path document) {
        try {
            return new MarkdownTables(document, parse(Files.readAllLines(document, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The one table whose header row is exactly these columns; fails when there is none or more than one. */
    public Table withHeader(String... columns) {
        List<String> header = List.of(columns);
        List<Table> found = tables.stream().filter(table -> table.header().equals(header)).toList();
        if (found.size() != 1) {
            throw new AssertionError(document + " has " + found.size() + " tables with the header " + header
                    + ", expected exactly one; its tables' headers: "
                    + tables.stream().map(Table::header).toList());
        }
        return found.get(0);
    }

    /** The contents of every code span in the text, in order: {@code "`a` or `b`"} gives a and b. */
    public static List<String> codeSpans(String text) {
        List<String> spans = new ArrayList<>();
        Matcher matcher = CODE_SPAN.matcher(text);
        while (matcher.find()) {
            spans.add(matcher.group(1));
        }
        return spans;
    }

    /** The content of the text's code span when the text is exactly one code span, and nothing else. */
    public static Optional<String> onlyCodeSpan(String text) {
        Matcher matcher = CODE_SPAN.matcher(text.strip());
        return matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    /** A table: its header and its rows, each row a map from column name to cell. */
    public record Table(int line, List<String> header, List<Map<String, String>> rows) {
        public Table {
            header = List.copyOf(header);
            rows = List.copyOf(rows);
        }

        /** Every cell of the column, top to bottom. */
        public List<String> column(String name) {
            if (!header.contains(name)) {
                throw new IllegalArgumentException("no column '" + name + "' in " + header);
            }
            return rows.stream().map(row -> row.get(name)).toList();
        }
    }

    private static List<Table> parse(List<String> lines) {
        List<Table> tables = new ArrayList<>();
        boolean inCodeBlock = false;
        int i = 0;
        while (i < lines.size()) {
            String line = lines.get(i).strip();
            if (line.startsWith("```")) {
                inCodeBlock = !inCodeBlock;
            }
            boolean headerRow = !inCodeBlock && line.startsWith("|") && i + 1 < lines.size()
                    && DELIMITER_ROW.matcher(lines.get(i + 1).strip()).matches();
            if (!headerRow) {
                i++;
                continue;
            }
            List<String> header = cells(line);
            List<Map<String, String>> rows = new ArrayList<>();
            int next = i + 2;
            while (next < lines.size() && lines.get(next).strip().startsWith("|")) {
                rows.add(row(header, cells(lines.get(next).strip()), next + 1));
                next++;
            }
            tables.add(new Table(i + 1, header, rows));
            i = next;
        }
        return tables;
    }

    private static Map<String, String> row(List<String> header, List<String> cells, int lineNumber) {
        if (cells.size() != header.size()) {
            throw new AssertionError("line " + lineNumber + " has " + cells.size() + " cells, its table's header "
                    + header.size() + ": " + cells);
        }
        Map<String, String> row = new LinkedHashMap<>();
        for (int column = 0; column < header.size(); column++) {
            row.put(header.get(column), cells.get(column));
        }
        return row;
    }

    /** The cells of a row such as {@code | a | b \| c |}: split on pipes not escaped by a backslash. */
    private static List<String> cells(String row) {
        String inner = row.substring(1, row.endsWith("|") && row.length() > 1 ? row.length() - 1 : row.length());
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        for (int i = 0; i < inner.length(); i++) {
            char c = inner.charAt(i);
            if (c == '\\' && i + 1 < inner.length() && inner.charAt(i + 1) == '|') {
                cell.append('|');
                i++;
            } else if (c == '|') {
                cells.add(cell.toString().strip());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString().strip());
        return cells;
    }
}
