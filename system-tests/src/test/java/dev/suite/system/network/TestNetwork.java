package dev.suite.system.network;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import dev.suite.localstack.Host;

/**
 * The cross-host test's network: one Linux network namespace per host, each with one address from the documentation
 * ranges (RFC 5737: never an address anyone else uses), joined by veth pairs to a bridge in a namespace of its own, and
 * on every host but the outsider's an nftables table that drops everything in and out except the connections of
 * {@link AllowedConnections} that start or end there. Everything lives in the namespaces (interfaces, bridge, rules), so
 * deleting them removes it all; {@link #removeLeftovers} deletes those of a run that was killed.
 */
final class TestNetwork implements AutoCloseable {

    static final String PREFIX = "suitenet-";
    private static final String SWITCH = PREFIX + "switch";
    private static final String TABLE = "suite";

    /** The hosts, their addresses, and which of the list's peers each one plays. */
    enum Machine {
        DATA("data", "192.0.2.10", "postgres", "redis"),
        MIGRATIONS("migrations", "198.51.100.20", "auth-migrations", "users-migrations"),
        GATEWAY("gateway", "198.51.100.10", "gateway"),
        AUTH("auth", "198.51.100.11", "auth-service"),
        USERS("users", "198.51.100.12", "user-service"),
        INGRESS("ingress", "203.0.113.10", "ingress-controller"),
        MONITORING("monitoring", "203.0.113.20", "monitoring"),
        /** No business anywhere, and no firewall: the attacker's own machine. */
        OUTSIDE("outside", "203.0.113.66");

        final String name;
        final String address;
        final List<String> peers;

        Machine(String name, String address, String... peers) {
            this.name = name;
            this.address = address;
            this.peers = List.of(peers);
        }

        Host host() {
            return new Host(PREFIX + name, address);
        }

        static Optional<Machine> playing(String peer) {
            for (Machine machine : values()) {
                if (machine.peers.contains(peer)) {
                    return Optional.of(machine);
                }
            }
            return Optional.empty();   // vault, kube-dns: not part of this test (the services run %dev, without Vault)
        }
    }

    static final List<String> RANGES = List.of("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24");

    private final Map<Machine, String> rulesets = new LinkedHashMap<>();

    private TestNetwork() {
    }

    /** Builds the network; on any failure removes what it made and rethrows. */
    static TestNetwork create(AllowedConnections allowed) {
        removeLeftovers();
        TestNetwork network = new TestNetwork();
        try {
            run("ip", "netns", "add", SWITCH);
            run("ip", "-n", SWITCH, "link", "add", "br0", "type", "bridge");
            run("ip", "-n", SWITCH, "link", "set", "br0", "up");
            for (Machine machine : Machine.values()) {
                String ns = machine.host().namespace();
                run("ip", "netns", "add", ns);
                run("ip", "-n", ns, "link", "set", "lo", "up");
                String port = "h-" + machine.name;
                run("ip", "-n", SWITCH, "link", "add", port, "type", "veth", "peer", "name", "eth0", "netns", ns);
                run("ip", "-n", SWITCH, "link", "set", port, "master", "br0", "up");
                run("ip", "-n", ns, "addr", "add", machine.address + "/24", "dev", "eth0");
                run("ip", "-n", ns, "link", "set", "eth0", "up");
                // One segment, three ranges: the other ranges are on the link too (no router to configure).
                for (String range : RANGES) {
                    if (!range.startsWith(machine.address.substring(0, machine.address.lastIndexOf('.')))) {
                        run("ip", "-n", ns, "route", "add", range, "dev", "eth0");
                    }
                }
                if (machine != Machine.OUTSIDE) {
                    String ruleset = ruleset(machine, allowed);
                    network.rulesets.put(machine, ruleset);
                    runWithInput(ruleset, "ip", "netns", "exec", ns, "nft", "-f", "-");
                }
            }
            return network;
        } catch (RuntimeException e) {
            network.close();
            throw e;
        }
    }

    /** The nftables table of {@code machine}: default drop both ways, then each allowed connection it takes part in. */
    static String ruleset(Machine machine, AllowedConnections allowed) {
        List<String> in = new ArrayList<>();
        List<String> out = new ArrayList<>();
        for (AllowedConnections.Edge edge : allowed.edges()) {
            Optional<Machine> from = Machine.playing(edge.from());
            Optional<Machine> to = Machine.playing(edge.to());
            if (from.isEmpty() || to.isEmpty() || from.get() == to.get()) {
                continue;
            }
            String rule = edge.protocol() + " dport " + edge.port() + " accept";
            if (to.get() == machine) {
                in.add("ip saddr " + from.get().address + " " + rule + "    # " + edge.from() + " -> " + edge.to());
            }
            if (from.get() == machine) {
                out.add("ip daddr " + to.get().address + " " + rule + "    # " + edge.from() + " -> " + edge.to());
            }
        }
        StringBuilder table = new StringBuilder();
        table.append("table inet ").append(TABLE).append(" {\n");
        chain(table, "input", "iif", in);
        chain(table, "output", "oif", out);
        table.append("}\n");
        return table.toString();
    }

    private static void chain(StringBuilder table, String hook, String loopbackMatch, List<String> rules) {
        table.append("  chain ").append(hook).append(" {\n")
                .append("    type filter hook ").append(hook).append(" priority 0; policy drop;\n")
                .append("    ").append(loopbackMatch).append(" \"lo\" accept\n")
                .append("    ct state established,related accept\n");
        rules.forEach(rule -> table.append("    ").append(rule.replaceAll("\\s+#.*", "")).append('\n'));
        table.append("  }\n");
    }

    Map<Machine, String> rulesets() {
        return rulesets;
    }

    /** The rules as the kernel holds them on {@code machine}. */
    static String liveRules(Machine machine) {
        return run("ip", "netns", "exec", machine.host().namespace(), "nft", "list", "table", "inet", TABLE);
    }

    /** Deletes every namespace this test makes (with their interfaces, bridge and rules); safe to call twice. */
    @Override
    public void close() {
        removeLeftovers();
    }

    /** Namespaces of this test left by a run that was killed before it could clean up (and their processes). */
    static void removeLeftovers() {
        for (String ns : namespaces()) {
            if (ns.startsWith(PREFIX)) {
                // A process still inside keeps nothing alive once the namespace is deleted, but it would keep running.
                String pids = runQuietly("ip", "netns", "pids", ns);
                for (String pid : pids.split("\\s+")) {
                    if (!pid.isBlank()) {
                        ProcessHandle.of(Long.parseLong(pid.strip())).ifPresent(ProcessHandle::destroyForcibly);
                    }
                }
                runQuietly("ip", "netns", "delete", ns);
            }
        }
    }

    static List<String> namespaces() {
        List<String> names = new ArrayList<>();
        for (String line : runQuietly("ip", "netns", "list").split("\n")) {
            if (!line.isBlank()) {
                names.add(line.strip().split("\\s+")[0]);
            }
        }
        return names;
    }

    /** Whether this machine can build the network: root, with ip and nft. Empty when it can; else why not. */
    static Optional<String> whyNot() {
        if (!isRoot()) {
            return Optional.of("the cross-host test needs root (network namespaces, veth, nftables); run it as root, as CI does");
        }
        for (String tool : List.of("ip", "nft")) {
            if (runQuietly("sh", "-c", "command -v " + tool).isBlank()) {
                return Optional.of("the cross-host test needs `" + tool + "` (apt-get install iproute2 nftables)");
            }
        }
        return Optional.empty();
    }

    /** The owner of /proc/self is this process's user: root is 0 (user.name can be set to anything on the command line). */
    static boolean isRoot() {
        try {
            return Integer.valueOf(0).equals(java.nio.file.Files.getAttribute(java.nio.file.Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException e) {
            return false;   // not Linux: no network namespaces either
        }
    }

    static String run(String... command) {
        return runWithInput(null, command);
    }

    static String runWithInput(String stdin, String... command) {
        Result result = exec(stdin, command);
        if (result.exit != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (exit " + result.exit + "): " + result.output);
        }
        return result.output;
    }

    static String runQuietly(String... command) {
        return exec(null, command).output;
    }

    record Result(int exit, String output) {
    }

    static Result exec(String stdin, String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (stdin != null) {
                process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Result(-1, output + " (timed out)");
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            return new Result(-1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }
}
