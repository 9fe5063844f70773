package dev.suite.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.suite.bench.hashing.BcryptImplementations;
import dev.suite.bench.hashing.HashLimit;
import dev.suite.bench.profile.JfrHotFrames;

/**
 * target/bench/results.json: {"machine", "scenarios": [{name, concurrency, rps, p50_ms, p99_ms, errors, ratio}]}
 * exactly as issue 8 shapes it, plus "checks" (targets met), "services", "services_total", "hash_limit",
 * "hashers", "profile", "settings", and "peers" (issue 19): {"keycloak": its figures and rows in the same shape, with
 * vs_keycloak: [{name, concurrency, vs_keycloak}]} when make bench-peers ran it, and "targets": [{name, target,
 * figures, met}] (met null: not measured).
 */
public final class ResultsJson {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ResultsJson() {
    }

    public static ObjectNode of(BenchResults results) {
        ObjectNode root = JSON.createObjectNode();
        root.set("machine", JSON.valueToTree(results.machine()));
        root.set("settings", JSON.valueToTree(results.settings()));
        root.set("scenarios", scenarios(results.scenarios()));
        root.set("checks", checks(results.scenarios()));
        root.set("services", services(results.services()));
        root.set("services_total", servicesTotal(results));
        if (results.hashLimit() != null) {
            root.set("hash_limit", hashLimit(results.hashLimit()));
        }
        root.set("hashers", hashers(results.hashers()));
        root.set("profile", profile(results.profile()));
        root.set("peers", peers(results));
        return root;
    }

    /** Exactly issue 8's fields; ratio is null on the rows that have none. */
    private static ArrayNode scenarios(List<ScenarioRow> rows) {
        ArrayNode scenarios = JSON.createArrayNode();
        for (ScenarioRow row : rows) {
            ObjectNode s = scenarios.addObject().put("name", row.name()).put("concurrency", row.concurrency())
                    .put("rps", round(row.rps(), 1)).put("p50_ms", round(row.p50Ms(), 2)).put("p99_ms", round(row.p99Ms(), 2))
                    .put("errors", row.errors());
            if (row.ratio() == null) {
                s.putNull("ratio");
            } else {
                s.put("ratio", round(row.ratio(), 3));
            }
        }
        return scenarios;
    }

    /** One entry per row that has a target. */
    private static ArrayNode checks(List<ScenarioRow> rows) {
        ArrayNode checks = JSON.createArrayNode();
        rows.stream().filter(row -> row.target() != null).forEach(row -> checks.addObject().put("name", row.name())
                .put("concurrency", row.concurrency()).put("target", row.target()).put("met", row.met()));
        return checks;
    }

    private static ArrayNode services(List<BenchResults.ServiceFigures> figures) {
        ArrayNode services = JSON.createArrayNode();
        figures.forEach(service -> services.addObject().put("name", service.name()).put("startup_ms", service.startupMs())
                .put("rss_idle_mib", round(service.rssIdleMiB(), 1)).put("rss_after_mib", round(service.rssAfterMiB(), 1))
                .put("in_total", service.inTotal()));
        return services;
    }

    /** The three services' RSS, and Keycloak's alone beside it when it ran (null otherwise). */
    private static ObjectNode servicesTotal(BenchResults results) {
        ObjectNode total = JSON.createObjectNode().put("rss_idle_mib", round(results.totalIdleMiB(), 1))
                .put("rss_after_mib", round(results.totalAfterMiB(), 1));
        if (results.peer() == null) {
            total.putNull("keycloak_idle_mib").putNull("keycloak_after_mib");
        } else {
            total.put("keycloak_idle_mib", round(results.peer().rssIdleMiB(), 1)).put("keycloak_after_mib", round(results.peer().rssAfterMiB(), 1));
        }
        return total;
    }

    private static ObjectNode hashLimit(HashLimit.Result limit) {
        ObjectNode node = JSON.createObjectNode().put("algorithm", limit.algorithm());
        limit.parameters().forEach((key, value) -> node.set(key, JSON.valueToTree(value)));
        return node.put("threads", limit.threads()).put("hashes", limit.hashes()).put("seconds", round(limit.seconds(), 2))
                .put("hashes_per_s", round(limit.perSecond(), 2));
    }

    private static ObjectNode peers(BenchResults results) {
        ObjectNode peers = JSON.createObjectNode();
        BenchResults.PeerFigures peer = results.peer();
        if (peer != null) {
            ObjectNode keycloak = peers.putObject("keycloak").put("version", peer.version()).put("startup_ms", peer.startupMs())
                    .put("rss_idle_mib", round(peer.rssIdleMiB(), 1)).put("rss_after_mib", round(peer.rssAfterMiB(), 1));
            keycloak.set("settings", JSON.valueToTree(peer.settings()));
            if (peer.hashLimit() != null) {
                keycloak.set("hash_limit", hashLimit(peer.hashLimit()));
            }
            keycloak.set("scenarios", scenarios(peer.scenarios()));
            ArrayNode versus = keycloak.putArray("vs_keycloak");
            results.scenarios().stream().filter(row -> row.vsPeer() != null).forEach(row -> versus.addObject()
                    .put("name", row.name()).put("concurrency", row.concurrency()).put("vs_keycloak", round(row.vsPeer(), 3)));
        }
        ArrayNode targets = peers.putArray("targets");
        for (Targets.Check check : results.peerTargets()) {
            ObjectNode t = targets.addObject().put("name", check.name()).put("target", check.target()).put("figures", check.figures());
            if (check.met() == null) {
                t.putNull("met");
            } else {
                t.put("met", check.met());
            }
        }
        return peers;
    }

    private static ArrayNode hashers(List<BcryptImplementations.Result> results) {
        ArrayNode hashers = JSON.createArrayNode();
        results.forEach(h -> hashers.addObject().put("name", h.name()).put("artifact", h.artifact())
                .put("ms_per_hash", round(h.msPerHash(), 1)).put("hashes", h.hashes()).put("verifies_ours", h.verifiesOurs())
                .put("ours_verifies_it", h.oursVerifiesIt()).put("note", h.note()));
        return hashers;
    }

    private static ArrayNode profile(List<JfrHotFrames.Profile> profiles) {
        ArrayNode profile = JSON.createArrayNode();
        for (JfrHotFrames.Profile p : profiles) {
            ObjectNode node = profile.addObject().put("service", p.service()).put("samples", p.samples());
            ArrayNode frames = node.putArray("top_frames");
            p.top().forEach(f -> frames.addObject().put("frame", f.method()).put("samples", f.samples()).put("percent", round(f.percent(), 1)));
            ArrayNode packages = node.putArray("top_packages");
            p.packages().forEach(f -> packages.addObject().put("package", f.method()).put("samples", f.samples())
                    .put("percent", round(f.percent(), 1)));
        }
        return profile;
    }

    public static void write(BenchResults results, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, JSON.writeValueAsString(of(results)) + "\n");
    }

    static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}
