package dev.suite.system.support;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

import dev.suite.localstack.SuiteRoot;

/**
 * When a system test fails, prints the ERROR entries (with their stack traces) that the services logged while it ran,
 * from every log under {@code system-tests/target}. A CI run keeps only the test output: a 500 seen there once (a
 * login during PostgresRestartTest) could not be traced to its cause because the service's log was gone with the
 * clone. Registered for every test class by JUnit's extension auto-detection (META-INF/services).
 *
 * <p>The same entries, without their {@code at} lines, also go to {@link #DIGEST}, which {@code make test} prints
 * after Maven's summary when it fails: CI shows only the end of its output, where the printout above is long gone
 * (a 500 of PostgresSwitchoverTest went untraced that way).
 */
public final class ServiceErrorsOnFailure implements BeforeEachCallback, TestWatcher {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ServiceErrorsOnFailure.class);
    private static final int MAX_LINES = 300;
    /** A service's own log line: its prefix, then the time of day (a stack trace's lines have the prefix only). */
    private static final Pattern ENTRY = Pattern.compile("^\\[[^\\]]+\\] \\d\\d:\\d\\d:\\d\\d");
    /** A stack trace's frame line ("[svc] \tat ..." or "[svc] \t... 12 more"): left out of the digest. */
    private static final Pattern FRAME = Pattern.compile("^\\[[^\\]]+\\] \\s+(at |\\.\\.\\. )");
    /** Read by .ci/failure-digest.sh (make test, when it fails); not a .log, which {@link #logs()} would read back. */
    static final String DIGEST = "service-errors-of-failed-tests.txt";

    @Override
    public void beforeEach(ExtensionContext context) {
        Map<Path, Long> sizes = new HashMap<>();
        logs().forEach(log -> sizes.put(log, size(log)));
        context.getStore(NAMESPACE).put("sizes", sizes);
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        @SuppressWarnings("unchecked")
        Map<Path, Long> before = context.getStore(NAMESPACE).getOrDefault("sizes", Map.class, Map.of());
        for (Path log : logs()) {
            List<String> errors = errorEntries(log, before.getOrDefault(log, 0L));
            if (!errors.isEmpty()) {
                String heading = String.format("[service-errors] %s logged while %s.%s ran:", log.getFileName(),
                        context.getRequiredTestClass().getSimpleName(), context.getDisplayName());
                System.out.println(heading);
                errors.forEach(System.out::println);
                appendToDigest(heading, errors);
            }
        }
    }

    private static void appendToDigest(String heading, List<String> errors) {
        List<String> lines = new ArrayList<>();
        lines.add(heading);
        lines.addAll(withoutFrames(errors));
        try {
            Files.write(targetDir().resolve(DIGEST), lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.out.println("[service-errors] could not write " + DIGEST + ": " + e.getMessage());
        }
    }

    /** The entries and their exceptions' lines ("Caused by: ..." too), without the frames between them. */
    static List<String> withoutFrames(List<String> errors) {
        return errors.stream().filter(line -> !FRAME.matcher(line).find()).toList();
    }

    private static Path targetDir() {
        return SuiteRoot.find().resolve("system-tests/target");
    }

    /** The ERROR entries written after {@code from}, each with the lines that continue it (its stack trace). */
    static List<String> errorEntries(Path log, long from) {
        List<String> out = new ArrayList<>();
        boolean inError = false;
        for (String line : tail(log, from).split("\n")) {
            if (ENTRY.matcher(line).find()) {
                inError = line.contains(" ERROR ");
            }
            if (inError && out.size() < MAX_LINES) {
                out.add(line);
            }
        }
        return out;
    }

    private static String tail(Path log, long from) {
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long start = from <= file.length() ? from : 0; // a log started anew since
            byte[] bytes = new byte[(int) Math.min(file.length() - start, 64L << 20)];
            file.seek(start);
            file.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static List<Path> logs() {
        Path dir = targetDir();
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".log")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long size(Path log) {
        try {
            return Files.size(log);
        } catch (IOException e) {
            return 0;
        }
    }
}
