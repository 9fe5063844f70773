package dev.suite.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A bare PostgreSQL data directory from the local stack's own binaries (the version the suite runs), for deploy/k8s's
 * PostgresClusterBootstrapTest: initialised like the stack's, then driven in single-user mode only (no server, no
 * port), as the user the stack runs PostgreSQL as. Reaches into the stack's package for what it does not publish.
 */
public final class ScratchPostgres {

    private final Path dataDir;

    private ScratchPostgres(Path dataDir) {
        this.dataDir = dataDir;
    }

    /** initdb into {@code dir} (created): superuser postgres, UTF8, no locale, as the stack's clusters. */
    public static ScratchPostgres create(Path dir) {
        try {
            Files.createDirectories(dir);
            Commands.giveToServerUser(dir);
            Commands.giveToServerUser(dir.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Commands.run(Commands.asServerUser(List.of(LocalPostgres.binaries().resolve("initdb").toString(), "-D", dir.toString(),
                "-U", "postgres", "--auth=reject", "-E", "UTF8", "--no-locale", "--no-instructions")), null, 120);
        return new ScratchPostgres(dir);
    }

    /** Runs each statement in {@code database} (each its own transaction) and returns the output; an ERROR throws. */
    public String run(String database, List<String> statements) {
        String input = String.join(";\n\n", statements) + ";\n\n";
        String output = Commands.run(Commands.asServerUser(List.of(LocalPostgres.binaries().resolve("postgres").toString(),
                "--single", "-j", "-D", dataDir.toString(), database)), input, 120);
        for (String line : output.split("\n")) {
            if (line.contains("ERROR:") || line.contains("FATAL:")) {
                throw new IllegalStateException("in database " + database + ": " + line + "\n" + output);
            }
        }
        return output;
    }

    /** deploy/db's init.sql then vault-admin.sql, as the local stack and the base's StatefulSet apply them. */
    public void applyDeployDb(Path deployDb, Map<String, String> passwords) {
        for (DatabaseScripts.Step step : new DatabaseScripts(deployDb).init(passwords)) {
            if (!step.statements().isEmpty()) {
                run(step.database(), step.statements().stream().map(s -> s.replaceFirst(";\\s*$", "")).toList());
            }
        }
    }
}
