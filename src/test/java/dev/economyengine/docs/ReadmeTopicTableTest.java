package dev.economyengine.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.economyengine.docs.MarkdownTables.Table;
import dev.economyengine.messaging.Topics;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The README's topic table against the default topic names ({@link Topics#DEFAULTS}), in both directions. */
class ReadmeTopicTableTest {
    private final Table table = MarkdownTables.of(Path.of("README.md")).withHeader("topic", "direction", "key", "what");

    @Test
    void theTableListsEveryDefaultTopic_andNothingElse() {
        assertThat(table.column("topic").stream().map(ReadmeTopicTableTest::topic))
                .containsExactlyInAnyOrderElementsOf(Topics.DEFAULTS.all());
    }

    @Test
    void theTopicsMarkedIn_areTheRequestTopics() {
        List<String> in = table.rows().stream()
                .filter(row -> row.get("direction").equals("in"))
                .map(row -> topic(row.get("topic")))
                .toList();

        assertThat(in).containsExactlyInAnyOrderElementsOf(Topics.DEFAULTS.requestTopics());
    }

    @Test
    void theChangelogIsInternal_andTheOtherWrittenTopicsAreOut() {
        for (Map<String, String> row : table.rows()) {
            String topic = topic(row.get("topic"));
            if (topic.equals(Topics.DEFAULTS.changelog())) {
                assertThat(row.get("direction")).as(topic).isEqualTo("internal");
            } else if (Topics.DEFAULTS.written().contains(topic)) {
                assertThat(row.get("direction")).as(topic).isEqualTo("out");
            }
        }
    }

    private static String topic(String cell) {
        return MarkdownTables.onlyCodeSpan(cell)
                .orElseThrow(() -> new AssertionError("a topic cell is one code span, was '" + cell + "'"));
    }
}
