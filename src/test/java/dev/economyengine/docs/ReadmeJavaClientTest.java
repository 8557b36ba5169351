package dev.economyengine.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's Java client section: its example is {@link ClientExample}, which compiles, and its coordinates the client's. */
class ReadmeJavaClientTest {
    private static final Path README = Path.of("README.md");
    private static final Path EXAMPLE = Path.of("src", "test", "java", "dev", "economyengine", "docs",
            "ClientExample.java");
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);

    @Test
    void theClientExampleInTheReadme_isTheOneThatCompiles() throws IOException {
        String source = Files.readString(EXAMPLE, StandardCharsets.UTF_8);
        String example = source.substring(source.indexOf("// README begin\n") + "// README begin\n".length(),
                source.indexOf("        // README end"));

        assertThat(javaBlocks()).as("the README's Java code blocks").contains(example.replaceAll("(?m)^ {8}", ""));
    }

    @Test
    void theReadme_namesTheClientsCoordinates() throws IOException {
        assertThat(Files.readString(README, StandardCharsets.UTF_8))
                .contains("<artifactId>economy-engine-client</artifactId>", "<groupId>dev.economyengine</groupId>");
    }

    private static List<String> javaBlocks() throws IOException {
        List<String> blocks = new ArrayList<>();
        Matcher matcher = JAVA_BLOCK.matcher(Files.readString(README, StandardCharsets.UTF_8));
        while (matcher.find()) {
            blocks.add(matcher.group(1));
        }
        return blocks;
    }
}
