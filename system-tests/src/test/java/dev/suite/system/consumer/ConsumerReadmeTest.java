package dev.suite.system.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.suite.localstack.SuiteRoot;

/**
 * The README's "Using token-guard in another Quarkus service" is what examples/token-guard-consumer uses (which
 * ConsumerExampleTest builds and runs against the suite), and the example's pom follows the suite's versions.
 */
class ConsumerReadmeTest {

    private static final Path ROOT = SuiteRoot.find();
    private static final String SECTION = "## Using token-guard in another Quarkus service";

    @Test
    void everyLineOfTheReadmesPomSnippetIsInTheExamplesPomInTheSameOrder() throws IOException {
        List<String> snippet = trimmedLines(block("xml"));
        List<String> pom = trimmedLines(Files.readString(ConsumerExample.DIR.resolve("pom.xml")));
        assertThat(pom).containsSubsequence(snippet);
        // And it builds outside the suite's parent: token-guard has a version, every ${...} it uses it also defines.
        String text = String.join("\n", snippet);
        assertThat(text).containsPattern("<artifactId>token-guard</artifactId>\\s*<version>");
        Matcher uses = Pattern.compile("\\$\\{([^}]+)}").matcher(text);
        while (uses.find()) {
            assertThat(text).as("defines %s", uses.group(1)).contains("<" + uses.group(1) + ">");
        }
    }

    @Test
    void theReadmesConfigurationIsTheExamplesWholeFile() throws IOException {
        assertThat(block("properties")).isEqualTo(Files.readString(ConsumerExample.DIR.resolve("src/main/resources/application.properties")));
    }

    @Test
    void theConfigurationHasNoCommentAfterAValue() throws IOException {
        // .properties has no end-of-line comments: "redis://redis:6379  # the revocation sets" would be the address.
        for (String line : Files.readAllLines(ConsumerExample.DIR.resolve("src/main/resources/application.properties"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                assertThat(line).doesNotContain("#");
            }
        }
    }

    @Test
    void theExampleIsBuiltWithTheSuitesVersions() throws IOException {
        String parent = Files.readString(ROOT.resolve("pom.xml"));
        String example = Files.readString(ConsumerExample.DIR.resolve("pom.xml"));
        assertThat(property(example, "token-guard.version"))
                .isEqualTo(find(parent, "<artifactId>suite-parent</artifactId>\\s*<version>([^<]+)</version>"));
        // The same Quarkus as token-guard, and the plugins the suite's build has already fetched (the example builds offline).
        for (String name : List.of("quarkus.version", "compiler-plugin.version", "surefire-plugin.version", "jar-plugin.version",
                "resources-plugin.version", "maven.compiler.release")) {
            assertThat(property(example, name)).as(name).isEqualTo(property(parent, name));
        }
    }

    /** The body of the first fenced block of {@code language} in the README's section, up to the next section. */
    private static String block(String language) throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        int start = readme.indexOf(SECTION);
        assertThat(start).as("README section %s", SECTION).isNotNegative();
        int end = readme.indexOf("\n## ", start + SECTION.length());
        String section = readme.substring(start, end < 0 ? readme.length() : end);
        return find(section, "(?s)```" + language + "\n(.*?)```");
    }

    private static String property(String pom, String name) {
        return find(pom, "<" + Pattern.quote(name) + ">([^<]+)</" + Pattern.quote(name) + ">");
    }

    private static String find(String text, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        assertThat(matcher.find()).as("%s found", regex).isTrue();
        return matcher.group(1);
    }

    private static List<String> trimmedLines(String text) {
        return text.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
    }
}
