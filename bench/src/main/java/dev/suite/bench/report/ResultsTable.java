package dev.suite.bench.report;

import java.util.Locale;

import dev.suite.bench.hashing.BcryptImplementations;
import dev.suite.bench.hashing.HashLimit;
import dev.suite.bench.profile.JfrHotFrames;

/** The console report: scenarios with their targets, then services, hashing and the profile hint. */
public final class ResultsTable {

    private ResultsTable() {
    }

    public static String render(BenchResults results) {
        return scenarios(results) + peer(results) + peerTargets(results) + services(results) + hashers(results) + profile(results);
    }

    /** The scenario rows with their targets, and the hash limit the login ratios divide by. */
    private static String scenarios(BenchResults results) {
        StringBuilder out = new StringBuilder();
        out.append("\n== Scenarios (ratios: login = logins/s / hash limit; gateway_read(_http) = gateway/direct rps;\n")
                .append("   revocation_check = rps with check / without; flood_read = p99 with flood / without;\n")
                .append("   vs Keycloak: reads = rps / keycloak_userinfo rps over the same transport (_https for the direct read and\n")
                .append("   gateway_read, plain HTTP for gateway_read_http); refresh = rps / keycloak_refresh_rotating rps;\n")
                .append("   login = ratio / keycloak_login ratio, each against its own hasher's limit)\n");
        TextTable scenarios = new TextTable("scenario", "c", "rps", "p50_ms", "p99_ms", "errors", "ratio", "vs Keycloak", "target");
        for (ScenarioRow row : results.scenarios()) {
            scenarios.row(row.name(), row.concurrency(), f("%.1f", row.rps()), f("%.2f", row.p50Ms()), f("%.2f", row.p99Ms()),
                    row.errors(), row.ratio() == null ? null : f("%.3f", row.ratio()),
                    row.vsPeer() == null ? null : f("%.2fx", row.vsPeer()),
                    row.target() == null ? null : row.target() + (row.met() ? "  MET" : "  MISSED"));
        }
        out.append(scenarios.render());
        if (results.hashLimit() != null) {
            out.append(hashLimit(results.hashLimit()));
        }
        return out.toString();
    }

    private static String hashLimit(HashLimit.Result limit) {
        return f("hash limit: %s on %d threads: %.2f hashes/s (%d in %.1f s)%n", limit.describe(), limit.threads(),
                limit.perSecond(), limit.hashes(), limit.seconds());
    }

    /** The peer's rows, start-up and memory, when make bench-peers ran it. */
    private static String peer(BenchResults results) {
        BenchResults.PeerFigures peer = results.peer();
        if (peer == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(f("%n== %s %s, same run, same JDK, same load generator (login ratio = logins/s / its hash limit)%n",
                peer.name(), peer.version()));
        TextTable rows = new TextTable("scenario", "c", "rps", "p50_ms", "p99_ms", "errors", "ratio");
        for (ScenarioRow row : peer.scenarios()) {
            rows.row(row.name(), row.concurrency(), f("%.1f", row.rps()), f("%.2f", row.p50Ms()), f("%.2f", row.p99Ms()),
                    row.errors(), row.ratio() == null ? null : f("%.3f", row.ratio()));
        }
        out.append(rows.render());
        if (peer.hashLimit() != null) {
            out.append(hashLimit(peer.hashLimit()));
        }
        out.append(f("%s: ready in %d ms, RSS idle %.1f MiB, after the run %.1f MiB%n", peer.name(), peer.startupMs(),
                peer.rssIdleMiB(), peer.rssAfterMiB()));
        return out.toString();
    }

    /** Issue 19's targets, each with its figures: met, missed, or not measured (no peer). */
    private static String peerTargets(BenchResults results) {
        TextTable targets = new TextTable("target (issue 19)", "", "wanted", "figures");
        for (Targets.Check check : results.peerTargets()) {
            targets.row(check.name(), check.met() == null ? "NOT MEASURED" : check.met() ? "MET" : "MISSED", check.target(),
                    check.figures());
        }
        return "\n" + targets.render();
    }

    /** Start-up and RSS per service, and the three services' total against Keycloak. */
    private static String services(BenchResults results) {
        TextTable services = new TextTable("service", "startup_ms", "rss_idle_mib", "rss_after_mib", "target");
        for (BenchResults.ServiceFigures s : results.services()) {
            boolean met = s.startupMs() <= Targets.STARTUP_MS && s.rssIdleMiB() <= Targets.RSS_IDLE_MIB;
            services.row(s.name(), s.startupMs(), f("%.1f", s.rssIdleMiB()), f("%.1f", s.rssAfterMiB()),
                    (met ? "MET" : "MISSED") + (s.inTotal() ? "" : " (bench-only, not in total)"));
        }
        BenchResults.PeerFigures peer = results.peer();
        services.row("total of three", null, f("%.1f", results.totalIdleMiB()), f("%.1f", results.totalAfterMiB()), peer == null
                ? "<= Keycloak: not measured (make bench-peers)"
                : f("<= %s %.0f / %.0f MiB: %s", peer.name(), peer.rssIdleMiB(), peer.rssAfterMiB(),
                        results.totalIdleMiB() <= peer.rssIdleMiB() && results.totalAfterMiB() <= peer.rssAfterMiB() ? "MET" : "MISSED"));
        return f("%n== Services (targets: ready <= %d ms, RSS idle <= %.0f MiB)%n", Targets.STARTUP_MS, Targets.RSS_IDLE_MIB)
                + services.render();
    }

    /** Each implementation's time against ours (the first row), and whether each verifies the other's hashes. */
    private static String hashers(BenchResults results) {
        if (results.hashers().isEmpty()) {
            return "";
        }
        TextTable hashers = new TextTable("implementation", "ms/hash", "vs ours", "verifies ours", "ours verifies it", "artifact");
        double ours = results.hashers().get(0).msPerHash();
        for (BcryptImplementations.Result h : results.hashers()) {
            hashers.row(h.name(), f("%.1f", h.msPerHash()), h.msPerHash() > 0 && ours > 0 ? f("%.2fx", h.msPerHash() / ours) : null,
                    yesNo(h.verifiesOurs()), yesNo(h.oursVerifiesIt()), h.artifact() + (h.note().isEmpty() ? "" : " (" + h.note() + ")"));
        }
        return "\n== bcrypt implementations (one thread, configured cost, input of the service's pre-hash's shape)\n"
                + hashers.render();
    }

    private static String profile(BenchResults results) {
        StringBuilder out = new StringBuilder();
        for (JfrHotFrames.Profile p : results.profile()) {
            out.append(f("%n== Profile hint: %s during gateway_read (JFR, %d execution samples)%n", p.service(), p.samples()));
            TextTable frames = new TextTable("top frame", "samples", "%");
            p.top().forEach(frame -> frames.row(frame.method(), frame.samples(), f("%.1f", frame.percent())));
            out.append(frames.render());
            out.append("by package: ");
            p.packages().forEach(pkg -> out.append(f("%s %.1f%%; ", pkg.method(), pkg.percent())));
            out.append('\n');
        }
        return out.toString();
    }

    private static String yesNo(boolean value) {
        return value ? "yes" : "NO";
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
