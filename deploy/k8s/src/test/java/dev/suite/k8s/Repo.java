package dev.suite.k8s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Where things are: this module (deploy/k8s) and the repository around it. */
final class Repo {

    /** deploy/k8s: Surefire runs the tests in the module's folder. */
    static final Path K8S = Path.of("").toAbsolutePath();
    static final Path ROOT = K8S.resolve("../..").normalize();
    static final Path DB = ROOT.resolve("deploy/db");
    static final Path VAULT = ROOT.resolve("deploy/vault");

    static {
        if (!Files.isRegularFile(K8S.resolve("base/kustomization.yaml")) || !Files.isDirectory(DB)) {
            throw new IllegalStateException("Run these tests from deploy/k8s (mvn test there, or from the root pom); cwd is " + K8S);
        }
    }

    private Repo() {
    }

    /**
     * The configuration files a service runs with, the one that wins first: its own application.properties, then the
     * settings every service shares (service-runtime's, a lower ordinal).
     */
    static List<Path> configurationOf(String service) {
        return List.of(ROOT.resolve(service).resolve("src/main/resources/application.properties"),
                ROOT.resolve("service-runtime/src/main/resources/META-INF/microprofile-config.properties"));
    }

    /**
     * The value of {@code key} a service runs with in {@code profile} ("" for none): the first file of
     * {@link #configurationOf} that sets it wins, and within a file a line for the profile wins over the plain one.
     */
    static String property(String service, String profile, String key) {
        for (Path file : configurationOf(service)) {
            List<String> lines = read(file).lines().map(String::strip).toList();
            for (String prefix : profile.isEmpty() ? List.of("") : List.of("%" + profile + ".", "")) {
                for (String line : lines) {
                    if (line.startsWith(prefix + key + "=")) {
                        return line.substring(prefix.length() + key.length() + 1).strip();
                    }
                }
            }
        }
        throw new AssertionError(key + " not in " + configurationOf(service));
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }
}
