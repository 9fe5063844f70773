package dev.suite.system.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a Node.js script of the repository ({@code node} and {@code npm} on the PATH, as the SPA's build needs them):
 * its folder's dependencies are installed from its package-lock.json ({@code npm ci}) when missing. Never skipped: a
 * machine without Node fails here with the reason.
 */
public final class Node {

    /** What a run gave: its exit code and standard output (standard error goes to the test's output). */
    public record Run(int exit, String output) {
    }

    private final Path folder;

    private Node(Path folder) {
        this.folder = folder;
    }

    /** The scripts of {@code folder}, its dependencies installed. */
    public static synchronized Node in(Path folder) {
        if (!Files.isDirectory(folder.resolve("node_modules"))) {
            Run install = run(folder, List.of("npm", "ci", "--no-audit", "--no-fund"), "", Map.of(), 300);
            if (install.exit() != 0) {
                throw new IllegalStateException("npm ci in " + folder + " failed with " + install.exit() + ": " + install.output());
            }
        }
        return new Node(folder);
    }

    /** {@code node <arguments>}, {@code input} on its standard input, with {@code environment} added to this JVM's. */
    public Run node(List<String> arguments, String input, Map<String, String> environment) {
        List<String> command = new ArrayList<>(List.of("node"));
        command.addAll(arguments);
        return run(folder, command, input, environment, 60);
    }

    private static Run run(Path folder, List<String> command, String input, Map<String, String> environment, int timeoutSeconds) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(folder.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT);
            builder.environment().putAll(environment);
            Process process = builder.start();
            try (var stdin = process.getOutputStream()) {
                stdin.write(input.getBytes(StandardCharsets.UTF_8));
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(command + " did not finish within " + timeoutSeconds + " s");
            }
            return new Run(process.exitValue(), output.strip());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + command + " (are node and npm installed?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
