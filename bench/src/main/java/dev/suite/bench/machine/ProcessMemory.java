package dev.suite.bench.machine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident set size of a process, from the kernel's own account (Linux /proc): what the machine really pays. */
public final class ProcessMemory {

    private ProcessMemory() {
    }

    /** VmRSS in MiB, or -1 where /proc is missing (not Linux) or the process is gone. */
    public static double rssMiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.substring("VmRSS:".length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]) / 1024.0; // kB
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        return -1;
    }
}
