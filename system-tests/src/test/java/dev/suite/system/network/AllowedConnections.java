package dev.suite.system.network;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.suite.localstack.SuiteRoot;

/**
 * deploy/network/allowed-connections.txt, the suite's one list of who may open a connection to whom, read as edges.
 * Kubernetes' NetworkPolicies are checked against the same file (deploy/k8s NetworkPolicyTest, NetworkPolicyAnalyzerTest);
 * here each host's nftables rules are generated from it.
 */
record AllowedConnections(List<Edge> edges) {

    static final Path FILE = SuiteRoot.find().resolve("deploy/network/allowed-connections.txt");

    /** One allowed connection: from a peer to a peer's port ({@code 8081/tcp}). */
    record Edge(String from, String to, int port, String protocol) {
    }

    static AllowedConnections read() {
        try {
            List<Edge> edges = new ArrayList<>();
            for (String line : Files.readAllLines(FILE)) {
                String stripped = line.strip();
                if (stripped.isEmpty() || stripped.startsWith("#")) {
                    continue;
                }
                String[] cols = stripped.split("\\s+");
                for (int i = 2; i < cols.length; i++) {
                    String[] port = (cols[i].contains("/") ? cols[i] : cols[i] + "/tcp").split("/");
                    edges.add(new Edge(cols[0], cols[1], Integer.parseInt(port[0]), port[1]));
                }
            }
            return new AllowedConnections(List.copyOf(edges));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + FILE, e);
        }
    }
}
