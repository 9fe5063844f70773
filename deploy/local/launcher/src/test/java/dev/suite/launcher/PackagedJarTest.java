package dev.suite.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A test of one module must never run against another module's missing or stale jar. */
class PackagedJarTest {

    @TempDir
    Path module;

    @Test
    void aJarOlderThanAMainSourceIsRefusedWithTheCommandThatRebuildsIt() throws Exception {
        Path jar = file("target/quarkus-app/quarkus-run.jar", Instant.parse("2026-01-01T10:00:00Z"));
        file("src/main/java/Service.java", Instant.parse("2026-01-01T09:00:00Z"));
        assertThat(ServiceProcess.packagedJar(module)).isEqualTo(jar);

        Path edited = file("src/main/resources/application.properties", Instant.parse("2026-01-01T11:00:00Z"));
        assertThatThrownBy(() -> ServiceProcess.packagedJar(module)).hasMessageContaining(edited.toString())
                .hasMessageContaining("mvn -pl " + module.getFileName() + " -am install -DskipTests");
    }

    @Test
    void aMissingJarIsRefused() throws Exception {
        file("src/main/java/Service.java", Instant.parse("2026-01-01T09:00:00Z"));
        assertThatThrownBy(() -> ServiceProcess.packagedJar(module)).hasMessageStartingWith("Missing ");
    }

    private Path file(String relative, Instant modified) throws Exception {
        Path file = module.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, relative);
        Files.setLastModifiedTime(file, FileTime.from(modified));
        return file;
    }
}
