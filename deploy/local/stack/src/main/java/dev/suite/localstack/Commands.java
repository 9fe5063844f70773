package dev.suite.localstack;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the helper programs of the stack; as root, PostgreSQL's run as {@code nobody} (it refuses root). */
final class Commands {

    private static final String UNPRIVILEGED_USER = "nobody";

    private Commands() {
    }

    static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Runs a command to completion and returns its output; fails with that output on a non-zero exit. */
    static String run(List<String> command, String stdin, long timeoutSeconds) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        try {
            Path output = Files.createTempFile("suite-cmd", ".log");
            try {
                Process process = builder.redirectOutput(output.toFile()).start();
                try (OutputStream in = process.getOutputStream()) {
                    if (stdin != null) {
                        in.write(stdin.getBytes(StandardCharsets.UTF_8));
                    }
                }
                if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException("Timed out after " + timeoutSeconds + " s: " + command.get(0));
                }
                String text = Files.readString(output);
                if (process.exitValue() != 0) {
                    throw new IllegalStateException(
                            "Failed (exit " + process.exitValue() + "): " + String.join(" ", command) + "\n" + text);
                }
                return text;
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + command, e);
        }
    }

    /** The command as the user that may own a PostgreSQL server. */
    static List<String> asServerUser(List<String> command) {
        if (!runningAsRoot()) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of("runuser", "-u", UNPRIVILEGED_USER, "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    /** Hands a file or folder the stack created to the user that runs PostgreSQL. */
    static void giveToServerUser(Path path) {
        if (!runningAsRoot()) {
            return;
        }
        try {
            UserPrincipal user = path.getFileSystem().getUserPrincipalLookupService()
                    .lookupPrincipalByName(UNPRIVILEGED_USER);
            Files.setOwner(path, user);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot hand " + path + " to " + UNPRIVILEGED_USER, e);
        }
    }
}
