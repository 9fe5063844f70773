package dev.suite.system.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.suite.launcher.ServiceProcess;
import dev.suite.system.network.TestNetwork.Machine;

/**
 * Programs the cross-host tests run on their hosts: a probe (a JVM cannot change its own network namespace, so each
 * probe is a JVM started there with this class path), the monitoring host's look at a management port.
 */
final class OnHost {

    private final Path runDir;
    private final Path caFile;

    /** Probes trust {@code caFile} (the test's own CA) and leave their error output in {@code runDir}. */
    OnHost(Path runDir, Path caFile) {
        this.runDir = runDir;
        this.caFile = caFile;
    }

    /** Starts {@code main} on {@code machine}; whoever calls it reads its output and waits for it. */
    Process start(Machine machine, Map<String, String> environment, Class<?> main, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:TieredStopAtLevel=1", "-Dsuite.tls.ca-file=" + caFile.toAbsolutePath(),
                "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        try {
            ProcessBuilder builder = new ProcessBuilder(machine.host().run(command))
                    .redirectError(runDir.resolve("probe-" + main.getSimpleName() + "-" + args[0] + ".err").toAbsolutePath().toFile());
            builder.environment().putAll(environment);
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code main} on {@code machine} to its end; its output lines (it must exit 0). */
    List<String> probe(Machine machine, Map<String, String> environment, Class<?> main, String... args) {
        Process process = start(machine, environment, main, args);
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int exit = process.waitFor();
            Path errors = runDir.resolve("probe-" + main.getSimpleName() + "-" + args[0] + ".err");
            assertThat(exit).as(main.getSimpleName() + " " + String.join(" ", args) + " on " + machine.name + ":\n" + output
                    + Files.readString(errors)).isZero();
            return output.lines().filter(line -> !line.isBlank()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@link #fromMonitoring(String, Path)}, trusting the test's own CA. */
    String[] fromMonitoring(String url) {
        return fromMonitoring(url, caFile);
    }

    /**
     * What the monitoring host (the only one allowed to reach management ports) gets from {@code url}: status, body. The
     * management port speaks TLS: curl trusts {@code ca} alone and checks the host's name, as Prometheus does.
     */
    static String[] fromMonitoring(String url, Path ca) {
        String answer = TestNetwork.runQuietly("ip", "netns", "exec", Machine.MONITORING.host().namespace(), "curl", "-s",
                "--cacert", ca.toAbsolutePath().toString(), "-w", "\n%{http_code}", "--max-time", "5", url);
        int last = answer.lastIndexOf('\n');
        return new String[] { answer.substring(last + 1).strip(), last < 0 ? "" : answer.substring(0, last) };
    }

    /** Ready when the monitoring host gets 200 from /q/health/ready on the management port. */
    static void awaitReady(ServiceProcess service, Duration timeout, Path log) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String url = service.managementUrl() + "/q/health/ready";
        while (System.nanoTime() < deadline) {
            if (!service.process().isAlive()) {
                throw new IllegalStateException(service.name() + " exited with " + service.process().exitValue()
                        + " before it was ready (see " + log + ")");
            }
            if (fromMonitoring(url, service.trustedCa())[0].equals("200")) {
                return;
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for " + service.name(), e);
            }
        }
        throw new IllegalStateException(service.name() + " was not ready within " + timeout.toSeconds() + " s");
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
