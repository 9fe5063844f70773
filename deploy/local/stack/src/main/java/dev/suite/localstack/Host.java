package dev.suite.localstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a server of the suite runs: this machine's loopback ({@link #LOOPBACK}, make run and the tests), or a test
 * host of its own, a Linux network namespace with one address (the cross-host test, system-tests network). A program
 * enters the namespace through {@code ip netns exec}, which then runs it in place (same process id), so stopping
 * it works as for any child process.
 */
public record Host(String namespace, String address) {

    public static final Host LOOPBACK = new Host(null, "localhost");

    public boolean isLoopback() {
        return namespace == null;
    }

    /** The address a server binds to: loopback's 127.0.0.1, or the host's own address. */
    public String bindAddress() {
        return isLoopback() ? "127.0.0.1" : address;
    }

    /** {@code command} as run on this host. */
    public List<String> run(List<String> command) {
        if (isLoopback()) {
            return command;
        }
        // By its full path: embedded-redis checks that the program it is given exists as a file.
        List<String> inNamespace = new ArrayList<>(List.of(ip(), "netns", "exec", namespace));
        inNamespace.addAll(command);
        return inNamespace;
    }

    private static String ip() {
        for (String dir : List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin")) {
            if (Files.isExecutable(Path.of(dir, "ip"))) {
                return Path.of(dir, "ip").toString();
            }
        }
        throw new IllegalStateException("`ip` (iproute2) is not installed: a host of its own needs it");
    }
}
