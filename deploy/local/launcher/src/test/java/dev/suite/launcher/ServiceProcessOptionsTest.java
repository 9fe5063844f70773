package dev.suite.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    /**
     * The class-data archive a service JVM is given is one it accepts: on this JDK, and on a newer one beside it
     * (make run and make bench prefer JDK 25 where the machine has it), where the JVM writes its own archive at the
     * first exit and loads the application's classes from it at the next start. A JDK 25 given Quarkus's JDK 17
     * archive started with "[error][cds] Not a valid shared archive file" and no archive at all.
     */
    @Test
    void eachJdkGetsAClassDataArchiveItAcceptsAndUses(@TempDir Path dir) throws Exception {
        Path jar = helloJar(dir);
        List<Path> javas = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")));
        newerJdk().ifPresentOrElse(javas::add,
                () -> System.out.println("[launcher] no JDK 19+ under /usr/lib/jvm: its class-data archive was not exercised"));
        for (Path java : javas) {
            Runtime.Version version = Runtime.Version.parse(run(List.of(java.toString(), "-jar", jar.toString()), dir).strip());
            Files.deleteIfExists(dir.resolve("app-cds-jdk" + version.feature() + ".jsa"));
            List<String> command = new ArrayList<>(List.of(java.toString()));
            command.addAll(ServiceProcess.classDataSharing(version, false));
            command.addAll(List.of("-Xlog:class+load=info", "-jar", jar.toString()));
            String first = run(command, dir);
            String second = run(command, dir);
            assertThat(first + second).as(java.toString()).doesNotContain("[error", "[warning");
            if (version.feature() >= 19) {
                assertThat(dir.resolve("app-cds-jdk" + version.feature() + ".jsa")).as("written at the first exit").isNotEmptyFile();
                assertThat(second.lines().filter(l -> l.contains(" Hello ")).findFirst()).as(java + ": the second start's Hello")
                        .hasValueSatisfying(line -> assertThat(line).contains("shared objects file"));
            }
        }
    }

    /** The newest JDK of release 19 or later under /usr/lib/jvm that is not this one, if any. */
    private static Optional<Path> newerJdk() throws IOException {
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return Optional.empty();
        }
        try (Stream<Path> homes = Files.list(jvms)) {
            return homes.filter(h -> h.getFileName().toString().matches(".*-(19|[2-9][0-9])-.*"))
                    .map(h -> h.resolve("bin/java")).filter(Files::isExecutable)
                    .filter(j -> !j.startsWith(Path.of(System.getProperty("java.home"))))
                    .max(Comparator.comparing(Path::toString));
        }
    }

    /** A jar of one class that prints the JDK's version, compiled for release 17 as the services are. */
    private static Path helloJar(Path dir) throws IOException {
        Path source = Files.writeString(dir.resolve("Hello.java"),
                "public class Hello { public static void main(String[] a) { System.out.println(Runtime.version()); } }");
        assertThat(ToolProvider.findFirst("javac").orElseThrow().run(System.out, System.err, "--release", "17", "-d",
                dir.resolve("classes").toString(), source.toString())).isZero();
        Path jar = dir.resolve("hello.jar");
        assertThat(ToolProvider.findFirst("jar").orElseThrow().run(System.out, System.err, "--create", "--file", jar.toString(),
                "--main-class", "Hello", "-C", dir.resolve("classes").toString(), ".")).isZero();
        return jar;
    }

    private static String run(List<String> command, Path dir) throws Exception {
        Process java = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(java.waitFor()).as(String.join(" ", command) + "\n" + output).isZero();
        return output;
    }
}
