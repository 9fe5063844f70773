package dev.suite.bench.machine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * CPU time a JVM's JIT compiler threads have used so far (Linux /proc, the threads HotSpot names "C1 CompilerThre..."
 * and "C2 CompilerThre..."). A profile of the first bench runs on JDK 25 showed the compilers taking 43% of the user
 * service's CPU and 53% of the gateway's during the first measured read, after the fixed warm-up: on two cores shared by
 * four JVMs the compile queues had not drained. The warm-up now runs until this stops growing.
 */
public final class JitActivity {

    /** Clock ticks per second of /proc's utime and stime (USER_HZ: 100 on every Linux the bench runs on). */
    private static final double TICKS_PER_SECOND = 100;

    private JitActivity() {
    }

    /** Seconds of CPU the compiler threads of {@code pid} used since it started; 0 where /proc is missing. */
    public static double compilerSeconds(long pid) {
        Path tasks = Path.of("/proc", String.valueOf(pid), "task");
        if (!Files.isDirectory(tasks)) {
            return 0;
        }
        try (Stream<Path> threads = Files.list(tasks)) {
            return threads.mapToLong(JitActivity::compilerTicks).sum() / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return 0; // the process ended meanwhile
        }
    }

    private static long compilerTicks(Path thread) {
        try {
            if (!Files.readString(thread.resolve("comm")).contains("CompilerThre")) {
                return 0;
            }
            String stat = Files.readString(thread.resolve("stat"));
            // Fields after the command's closing parenthesis: state is the 3rd field, utime the 14th, stime the 15th.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException e) {
            return 0; // the thread ended meanwhile
        }
    }
}
