package dev.suite.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

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
 * "hashers", "profile" and "settings".
 */
public final class ResultsJson {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ResultsJson() {
    }

    public static ObjectNode of(BenchResults results) {
        ObjectNode root = JSON.createObjectNode();
        root.set("machine", JSON.valueToTree(results.machine()));
        root.set("settings", JSON.valueToTree(results.settings()));
        ArrayNode scenarios = root.putArray("scenarios");
        ArrayNode checks = root.putArray("checks");
        for (ScenarioRow row : results.scenarios()) {
            ObjectNode s = scenarios.addObject().put("name", row.name()).put("concurrency", row.concurrency())
                    .put("rps", round(row.rps(), 1)).put("p50_ms", round(row.p50Ms(), 2)).put("p99_ms", round(row.p99Ms(), 2))
                    .put("errors", row.errors());
            if (row.ratio() == null) {
                s.putNull("ratio");
            } else {
                s.put("ratio", round(row.ratio(), 3));
            }
            if (row.target() != null) {
                checks.addObject().put("name", row.name()).put("concurrency", row.concurrency()).put("target", row.target())
                        .put("met", row.met());
            }
        }
        ArrayNode services = root.putArray("services");
        for (BenchResults.ServiceFigures service : results.services()) {
            services.addObject().put("name", service.name()).put("startup_ms", service.startupMs())
                    .put("rss_idle_mib", round(service.rssIdleMiB(), 1)).put("rss_after_mib", round(service.rssAfterMiB(), 1))
                    .put("in_total", service.inTotal());
        }
        root.putObject("services_total").put("rss_idle_mib", round(results.totalIdleMiB(), 1))
                .put("rss_after_mib", round(results.totalAfterMiB(), 1))
                .put("keycloak_idle_mib", Targets.KEYCLOAK_IDLE_MIB).put("keycloak_after_load_mib", Targets.KEYCLOAK_AFTER_LOAD_MIB);
        if (results.hashLimit() != null) {
            root.putObject("hash_limit").put("algorithm", HashLimit.ALGORITHM)
                    .put("cost", results.hashLimit().cost()).put("threads", results.hashLimit().threads())
                    .put("hashes", results.hashLimit().hashes()).put("seconds", round(results.hashLimit().seconds(), 2))
                    .put("hashes_per_s", round(results.hashLimit().perSecond(), 2));
        }
        ArrayNode hashers = root.putArray("hashers");
        for (BcryptImplementations.Result h : results.hashers()) {
            hashers.addObject().put("name", h.name()).put("artifact", h.artifact()).put("ms_per_hash", round(h.msPerHash(), 1))
                    .put("hashes", h.hashes()).put("verifies_ours", h.verifiesOurs()).put("ours_verifies_it", h.oursVerifiesIt())
                    .put("note", h.note());
        }
        ArrayNode profile = root.putArray("profile");
        for (JfrHotFrames.Profile p : results.profile()) {
            ObjectNode node = profile.addObject().put("service", p.service()).put("samples", p.samples());
            ArrayNode frames = node.putArray("top_frames");
            p.top().forEach(f -> frames.addObject().put("frame", f.method()).put("samples", f.samples()).put("percent", round(f.percent(), 1)));
            ArrayNode packages = node.putArray("top_packages");
            p.packages().forEach(f -> packages.addObject().put("package", f.method()).put("samples", f.samples())
                    .put("percent", round(f.percent(), 1)));
        }
        return root;
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
