package dev.suite.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import dev.suite.localstack.SuiteRoot;

/** A clone has everything its documentation links to: no link leaves the repository or points at nothing. */
class DocumentationTest {

    private static final Pattern LINK = Pattern.compile("\\]\\(([^)#\\s]+)(#[^)]*)?\\)");

    @Test
    void everyRelativeLinkResolvesInsideTheRepository() throws IOException {
        Path root = SuiteRoot.find();
        List<String> broken = new ArrayList<>();
        for (Path page : pages(root)) {
            String text = Files.readString(page);
            assertThat(text).as("%s cites a file outside the repository", root.relativize(page)).doesNotContain("../shared/");
            Matcher link = LINK.matcher(text);
            while (link.find()) {
                String target = link.group(1);
                if (target.startsWith("http://") || target.startsWith("https://") || target.startsWith("mailto:")) {
                    continue;
                }
                Path resolved = page.getParent().resolve(target).normalize();
                if (!resolved.startsWith(root) || !Files.exists(resolved)) {
                    broken.add(root.relativize(page) + " -> " + target);
                }
            }
        }
        assertThat(broken).isEmpty();
    }

    @Test
    void theReadmeOpensWithWhatTheSuiteIsForThenTheTwoCommands() throws IOException {
        String readme = Files.readString(SuiteRoot.find().resolve("README.md"));
        int purpose = readme.indexOf("The identity and account back end");
        int commands = readme.indexOf("make run");
        assertThat(purpose).isBetween(0, 200);
        assertThat(commands).isGreaterThan(purpose);
        assertThat(readme.indexOf("make test")).isGreaterThan(purpose).isLessThan(readme.indexOf("## Where to go next"));
    }

    private static List<Path> pages(Path root) throws IOException {
        List<Path> pages = new ArrayList<>(List.of(root.resolve("README.md"), root.resolve("spa/README.md"),
                root.resolve("deploy/k8s/README.md")));
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }
}
