package dev.suite.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** README promises "a JDK 17+": the service JVMs must start on every one of them. */
class ServiceProcessOptionsTest {

    @Test
    void nativeHeapTrimmingOnlyWhereTheJvmKnowsTheFlag() {
        assertThat(ServiceProcess.jvmOptions(Runtime.Version.parse("17.0.8"))).noneMatch(o -> o.contains("TrimNativeHeap"));
        assertThat(ServiceProcess.jvmOptions(Runtime.Version.parse("17.0.15"))).contains("-XX:TrimNativeHeapInterval=10000");
        assertThat(ServiceProcess.jvmOptions(Runtime.Version.parse("21"))).noneMatch(o -> o.contains("TrimNativeHeap"));
        assertThat(ServiceProcess.jvmOptions(Runtime.Version.parse("21.0.1"))).contains("-XX:TrimNativeHeapInterval=10000");
        assertThat(ServiceProcess.jvmOptions(Runtime.Version.parse("25"))).contains("-XX:TrimNativeHeapInterval=10000");
    }

    @Test
    void theOptionsOfThisJdkAreOnesItAccepts() throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(ServiceProcess.JVM_OPTIONS);
        command.add("-version");
        Process java = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(java.waitFor()).as(output).isZero();
    }
}
