package dev.suite.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The suite's Redis ACL users, read from {@code deploy/k8s/base/redis/users.acl}: the same list Kubernetes loads,
 * here turned into {@code user} lines of the local redis.conf with each user's password appended.
 */
public final class RedisUsers {

    /** Where the list lives, from the repository's top folder. */
    public static final String FILE = "deploy/k8s/base/redis/users.acl";

    private final List<String> lines;

    private RedisUsers(List<String> lines) {
        this.lines = lines;
    }

    public static RedisUsers in(Path suiteRoot) {
        Path file = suiteRoot.resolve(FILE);
        try {
            return new RedisUsers(Files.readAllLines(file).stream()
                    .map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#")).toList());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    /** The user names, {@code default} (the operator) first as in the file. */
    public List<String> names() {
        return lines.stream().map(line -> line.split("\\s+")[1]).toList();
    }

    /** One {@code user} directive per user, with a {@code >password} rule for each of the user's passwords. */
    public List<String> directives(Function<String, String> passwordOf) {
        List<String> directives = new ArrayList<>();
        for (String line : lines) {
            String[] words = line.split("\\s+");
            if (!words[0].equals("user")) {
                throw new IllegalStateException(FILE + ": every line must be a user directive, not: " + words[0]);
            }
            String password = passwordOf.apply(words[1]);
            if (password.isEmpty() || password.chars().anyMatch(c -> c <= ' ' || c == '"' || c == '\'')) {
                throw new IllegalArgumentException("A Redis password must be a non-empty word (user " + words[1] + ")");
            }
            directives.add(line + " >" + password);
        }
        return directives;
    }
}
