package dev.suite.localstack;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository's top folder: the one holding {@code deploy/db}, from {@code suite.root} or found upwards. */
public final class SuiteRoot {

    private SuiteRoot() {
    }

    public static Path find() {
        String configured = System.getProperty("suite.root", System.getenv("SUITE_ROOT"));
        if (configured != null && Files.isDirectory(Path.of(configured, "deploy", "db"))) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("deploy").resolve("db"))) {
                return dir;
            }
        }
        throw new IllegalStateException("Cannot find the suite's root folder (one containing deploy/db); "
                + "run from inside the repository or set -Dsuite.root");
    }
}
