package dev.economyengine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The client library's build (client/pom.xml) stays what a game service may add: the worker's version,
 * and kafka-clients and Jackson as its only dependencies, in the versions the worker is built and
 * tested with. And the worker's build builds it, so that its sources are compiled against those alone.
 */
class ClientBuildTest {
    private static final Pattern PROPERTY = Pattern.compile("\\$\\{([^}]+)}");

    private static Pom root;
    private static Pom client;

    @BeforeAll
    static void readTheBuilds() throws Exception {
        root = Pom.read(Path.of("pom.xml"));
        client = Pom.read(Path.of("client", "pom.xml"));
    }

    @Test
    void client_isItsOwnArtifact_ofTheWorkersVersion() {
        assertThat(client.text("groupId")).isEqualTo(root.text("groupId"));
        assertThat(client.text("artifactId")).isEqualTo("economy-engine-client");
        assertThat(client.text("version")).isEqualTo(root.text("version"));
        assertThat(client.text("parent")).as("a standalone project, no parent").isEmpty();
    }

    @Test
    void client_dependsOnKafkaClientsAndJacksonAlone_inTheWorkersVersions() {
        assertThat(client.dependencies()).containsExactlyInAnyOrder(
                "org.apache.kafka:kafka-clients:" + root.resolve("${kafka.version}") + ":compile",
                "com.fasterxml.jackson.core:jackson-databind:" + root.resolve("${jackson.version}") + ":compile");
        assertThat(root.dependencies()).as("the worker's kafka-clients and Jackson").contains(
                "org.apache.kafka:kafka-clients:" + client.resolve("${kafka.version}") + ":compile",
                "com.fasterxml.jackson.core:jackson-databind:managed:compile");
        assertThat(root.raw).as("the worker's Jackson is managed by the BOM of jackson.version")
                .containsPattern("jackson-bom</artifactId>\\s*<version>\\$\\{jackson.version}</version>");
    }

    @Test
    void client_compilesForJava17_failingOnAnyWarning() {
        assertThat(client.resolve("${maven.compiler.release}")).isEqualTo("17");
        assertThat(client.document.getElementsByTagName("arg")).satisfies(args -> {
            List<String> values = new ArrayList<>();
            for (int i = 0; i < args.getLength(); i++) {
                values.add(args.item(i).getTextContent().trim());
            }
            assertThat(values).contains("-Xlint:all,-processing", "-Werror");
        });
    }

    @Test
    void worker_buildsTheClientFromItsPom_inThePackagePhase() {
        String build = root.raw;
        assertThat(build).contains("<artifactId>maven-invoker-plugin</artifactId>",
                "<projectsDirectory>${project.basedir}/client</projectsDirectory>",
                "<pomInclude>pom.xml</pomInclude>", "<phase>package</phase>");
    }

    /** Regression: the image's build copied pom.xml, config and src only, and the worker's sources need client/. */
    @Test
    void dockerImageBuild_copiesTheClientSources_beforeItBuilds() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("Dockerfile"));
        int copied = lines.indexOf("COPY client client");
        int built = lines.indexOf("RUN mvn -B -q package -DskipTests");

        assertThat(copied).as("COPY client client in the Dockerfile").isNotNegative();
        assertThat(copied).as("copied before the build").isLessThan(built);
    }

    /** A POM, its properties resolved as Maven would for the few this test reads. */
    private record Pom(Document document, Map<String, String> properties, String raw) {
        static Pom read(Path file) throws Exception {
            Document document = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
            Map<String, String> properties = new HashMap<>();
            Element project = document.getDocumentElement();
            for (Element section : children(project, "properties")) {
                NodeList entries = section.getChildNodes();
                for (int i = 0; i < entries.getLength(); i++) {
                    if (entries.item(i) instanceof Element entry) {
                        properties.put(entry.getTagName(), entry.getTextContent().trim());
                    }
                }
            }
            return new Pom(document, properties, Files.readString(file));
        }

        /** The text of a direct child of the project, empty if it has none. */
        String text(String name) {
            List<Element> found = children(document.getDocumentElement(), name);
            return found.isEmpty() ? "" : found.get(0).getTextContent().trim();
        }

        String resolve(String value) {
            Matcher matcher = PROPERTY.matcher(value);
            StringBuilder resolved = new StringBuilder();
            while (matcher.find()) {
                matcher.appendReplacement(resolved, Matcher.quoteReplacement(
                        properties.getOrDefault(matcher.group(1), matcher.group())));
            }
            return matcher.appendTail(resolved).toString();
        }

        /** The project's own dependencies (not the managed ones) as group:artifact:version:scope. */
        List<String> dependencies() {
            List<String> dependencies = new ArrayList<>();
            for (Element section : children(document.getDocumentElement(), "dependencies")) {
                for (Element dependency : children(section, "dependency")) {
                    String version = childText(dependency, "version");
                    String scope = childText(dependency, "scope");
                    dependencies.add(childText(dependency, "groupId") + ":" + childText(dependency, "artifactId")
                            + ":" + (version.isEmpty() ? "managed" : resolve(version))
                            + ":" + (scope.isEmpty() ? "compile" : scope));
                }
            }
            return dependencies;
        }

        private static String childText(Element parent, String name) {
            List<Element> found = children(parent, name);
            return found.isEmpty() ? "" : found.get(0).getTextContent().trim();
        }

        private static List<Element> children(Element parent, String name) {
            List<Element> found = new ArrayList<>();
            for (Node child = parent.getFirstChild(); child != null; child = child.getNextSibling()) {
                if (child instanceof Element element && element.getTagName().equals(name)) {
                    found.add(element);
                }
            }
            return found;
        }
    }
}
