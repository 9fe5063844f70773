package dev.suite.bench.profile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * A one-shot profile hint with what ships with the JDK: a JFR recording (settings=profile) of running services
 * during some load, started and dumped with jcmd, then the top frames of its execution samples. Only a hint: JFR
 * samples Java threads only, so time in native code (epoll, TLS in the kernel) shows up as its Java caller.
 */
public final class JfrHotFrames {

    public record Frame(String method, long samples, double percent) {
    }

    /** {@code packages}: the same samples by the top frame's package, which often says more than one method. */
    public record Profile(String service, long samples, List<Frame> top, List<Frame> packages) {
    }

    private JfrHotFrames() {
    }

    /** Starts a recording named "bench" in each process. */
    public static void start(Collection<Long> pids) throws IOException {
        for (long pid : pids) {
            jcmd(pid, "JFR.start", "name=bench", "settings=profile");
        }
    }

    /** Stops and dumps each recording into {@code dir}, then returns the top frames of each service. */
    public static List<Profile> stop(Map<String, Long> pids, Path dir, int topN) throws IOException {
        Files.createDirectories(dir);
        List<Profile> profiles = new ArrayList<>();
        for (Map.Entry<String, Long> service : pids.entrySet()) {
            Path file = dir.resolve(service.getKey() + ".jfr").toAbsolutePath();
            jcmd(service.getValue(), "JFR.stop", "name=bench", "filename=" + file);
            profiles.add(topFrames(service.getKey(), file, topN));
        }
        return profiles;
    }

    /** Top frames of jdk.ExecutionSample: the method on top of the stack when the thread was sampled. */
    public static Profile topFrames(String service, Path file, int topN) throws IOException {
        Map<String, Long> counts = new HashMap<>();
        Map<String, Long> packages = new HashMap<>();
        long total = 0;
        try (RecordingFile recording = new RecordingFile(file)) {
            while (recording.hasMoreEvents()) {
                var event = recording.readEvent();
                if (!event.getEventType().getName().equals("jdk.ExecutionSample")) {
                    continue;
                }
                RecordedStackTrace stack = event.getStackTrace();
                if (stack == null || stack.getFrames().isEmpty()) {
                    continue;
                }
                RecordedFrame top = stack.getFrames().get(0);
                String type = top.getMethod().getType().getName();
                counts.merge(type + "." + top.getMethod().getName(), 1L, Long::sum);
                packages.merge(type.contains(".") ? type.substring(0, type.lastIndexOf('.')) : type, 1L, Long::sum);
                total++;
            }
        }
        return new Profile(service, total, top(counts, total, topN), top(packages, total, 5));
    }

    private static List<Frame> top(Map<String, Long> counts, long total, int n) {
        return counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(n)
                .map(e -> new Frame(e.getKey(), e.getValue(), total == 0 ? 0 : 100.0 * e.getValue() / total)).toList();
    }

    private static void jcmd(long pid, String... command) throws IOException {
        List<String> args = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(pid)));
        args.addAll(List.of(command));
        Process process = new ProcessBuilder(args).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("jcmd " + String.join(" ", command) + " failed: " + output.trim());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("Interrupted", e);
        }
    }

}
