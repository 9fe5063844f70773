package dev.suite.system.network;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
        /** The second replica of each service: only on the replicas' network ({@link #REPLICATED}). */
        AUTH_2("auth-2", "198.51.100.13", "auth-service"),
        USERS_2("users-2", "198.51.100.14", "user-service"),
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

        /** The first host playing {@code peer}: the only one on a network of one replica each. */
        static Optional<Machine> playing(String peer) {
            return playing(peer, ONE_EACH).stream().findFirst();
        }

        /** Every host of {@code machines} that plays {@code peer}: none for vault and kube-dns (the services run %dev). */
        static List<Machine> playing(String peer, Set<Machine> machines) {
            return machines.stream().filter(machine -> machine.peers.contains(peer)).toList();
        }

        /** CrossHostTest's network: one host per service. */
        static final Set<Machine> ONE_EACH = Collections.unmodifiableSet(EnumSet.complementOf(EnumSet.of(AUTH_2, USERS_2)));
        /** ReplicasAcrossHostsTest's: two hosts for each of the auth and user services. */
        static final Set<Machine> REPLICATED = Collections.unmodifiableSet(EnumSet.allOf(Machine.class));
    }

    /**
     * A Kubernetes Service in front of a peer's replicas: one address its callers know, and on every calling host an
     * nftables DNAT rule that sends each new connection to the next replica in turn, as kube-proxy does. Its address
     * belongs to no host (like a ClusterIP), so only the rule makes it reachable.
     */
    record VirtualService(String peer, String address, int port) {

        static final VirtualService AUTH = new VirtualService("auth-service", "198.51.100.111", 8081);
        static final VirtualService USERS = new VirtualService("user-service", "198.51.100.112", 8082);
    }

    static final List<String> RANGES = List.of("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24");

    private static final String SERVICES_TABLE = "suite-service";

    private final Set<Machine> machines;
    private final List<VirtualService> services;
    private final Map<Machine, String> rulesets = new LinkedHashMap<>();

    private TestNetwork(Set<Machine> machines, List<VirtualService> services) {
        this.machines = machines;
        this.services = services;
    }

    /** CrossHostTest's network: one host per service ({@link Machine#ONE_EACH}), no virtual service. */
    static TestNetwork create(AllowedConnections allowed) {
        return create(allowed, Machine.ONE_EACH, List.of());
    }

    /**
     * Builds the network of {@code machines}, with {@code services} spreading their callers' connections over their
     * replicas; on any failure removes what it made and rethrows.
     */
    static TestNetwork create(AllowedConnections allowed, Set<Machine> machines, List<VirtualService> services) {
        removeLeftovers();
        TestNetwork network = new TestNetwork(machines, services);
        try {
            run("ip", "netns", "add", SWITCH);
            run("ip", "-n", SWITCH, "link", "add", "br0", "type", "bridge");
            run("ip", "-n", SWITCH, "link", "set", "br0", "up");
            for (Machine machine : machines) {
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
                    String ruleset = ruleset(machine, allowed, machines);
                    network.rulesets.put(machine, ruleset);
                    runWithInput(ruleset, "ip", "netns", "exec", ns, "nft", "-f", "-");
                }
            }
            for (VirtualService service : services) {
                network.route(service, Machine.playing(service.peer(), machines), allowed);
            }
            return network;
        } catch (RuntimeException e) {
            network.close();
            throw e;
        }
    }

    /** The nftables table of {@code machine} on CrossHostTest's network. */
    static String ruleset(Machine machine, AllowedConnections allowed) {
        return ruleset(machine, allowed, Machine.ONE_EACH);
    }

    /**
     * The nftables table of {@code machine} on the network of {@code machines}: default drop both ways, then each
     * allowed connection it takes part in, one rule per host at the other end (each replica's own address, nothing
     * wider).
     */
    static String ruleset(Machine machine, AllowedConnections allowed, Set<Machine> machines) {
        List<String> in = new ArrayList<>();
        List<String> out = new ArrayList<>();
        for (AllowedConnections.Edge edge : allowed.edges()) {
            String rule = edge.protocol() + " dport " + edge.port() + " accept";
            String why = "    # " + edge.from() + " -> " + edge.to();
            for (Machine from : Machine.playing(edge.from(), machines)) {
                for (Machine to : Machine.playing(edge.to(), machines)) {
                    if (from == to) {
                        continue;
                    }
                    if (to == machine) {
                        in.add("ip saddr " + from.address + " " + rule + why);
                    }
                    if (from == machine) {
                        out.add("ip daddr " + to.address + " " + rule + why);
                    }
                }
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

    Set<Machine> machines() {
        return machines;
    }

    /**
     * Points {@code service} at {@code replicas} on every host allowed to call its peer: a NAT table whose output hook
     * (before the filter's, which then sees the replica's address) rewrites each new connection to the service's
     * address to the next replica of the list ({@code numgen inc}, round robin, as kube-proxy's iptables mode spreads
     * at random). Called again, it replaces the list: what Kubernetes' endpoints controller does when a pod goes away.
     */
    void route(VirtualService service, List<Machine> replicas, AllowedConnections allowed) {
        if (replicas.isEmpty()) {
            throw new IllegalArgumentException("No replica of " + service.peer() + " on this network");
        }
        for (Machine caller : callers(service, allowed)) {
            // One nft transaction: the old list is never gone before the new one is in place.
            runWithInput(servicesTable(service, replicas), "ip", "netns", "exec", caller.host().namespace(), "nft", "-f", "-");
        }
    }

    /** The hosts that may open a connection to {@code service}'s peer: where its DNAT rule goes. */
    private List<Machine> callers(VirtualService service, AllowedConnections allowed) {
        return allowed.edges().stream().filter(edge -> edge.to().equals(service.peer()) && edge.port() == service.port())
                .flatMap(edge -> Machine.playing(edge.from(), machines).stream())
                .filter(machine -> !machine.peers.contains(service.peer())).distinct().toList();
    }

    static String servicesTable(VirtualService service, List<Machine> replicas) {
        StringBuilder map = new StringBuilder();
        for (int i = 0; i < replicas.size(); i++) {
            map.append(i == 0 ? "" : ", ").append(i).append(" : ").append(replicas.get(i).address);
        }
        String table = SERVICES_TABLE + "-" + service.peer();
        return "table ip " + table + " {\n"
                + "  chain output {\n"
                + "    type nat hook output priority -100; policy accept;\n"
                + "  }\n"
                + "}\n"
                + "flush chain ip " + table + " output\n"
                + "add rule ip " + table + " output ip daddr " + service.address() + " tcp dport " + service.port()
                + " dnat to numgen inc mod " + replicas.size() + " map { " + map + " }\n";
    }

    /** {@code service}'s NAT rule as the kernel holds it on {@code machine} (empty when it has none). */
    static String liveServiceRule(Machine machine, VirtualService service) {
        return runQuietly("ip", "netns", "exec", machine.host().namespace(), "nft", "list", "table", "ip", SERVICES_TABLE + "-" + service.peer());
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
