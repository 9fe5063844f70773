package dev.suite.system.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

import dev.suite.system.support.Answer;
import dev.suite.system.support.Browser;
import dev.suite.system.support.Http;
import dev.suite.system.support.RunningSuite;

/**
 * Property: whatever a client sends to a public endpoint through the gateway (random or mutated JSON, headers,
 * cookies, tokens), the answer is a documented 2xx or a 4xx problem+json, never a 5xx or a stack trace, and the
 * gateway stays healthy. Seeded and bounded: {@code -Dsuite.fuzz.seed=N -Dsuite.fuzz.tries=N} (per endpoint).
 */
class GatewayFuzzTest {

    static final long SEED = Long.getLong("suite.fuzz.seed", 20_261_129L);
    static final int TRIES = Integer.getInteger("suite.fuzz.tries", 150);

    /** A public endpoint and the 2xx statuses its documentation allows. */
    record Endpoint(String method, String path, Set<Integer> documented) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    static final List<Endpoint> ENDPOINTS = List.of(new Endpoint("GET", "/api/auth/csrf", Set.of(200)),
            new Endpoint("POST", "/api/auth/register", Set.of(202)), new Endpoint("POST", "/api/auth/login", Set.of(200)),
            new Endpoint("POST", "/api/auth/login/passkey/options", Set.of(200)), new Endpoint("POST", "/api/auth/login/passkey", Set.of(200)),
            new Endpoint("POST", "/api/auth/refresh", Set.of(200)), new Endpoint("POST", "/api/auth/logout", Set.of(204)),
            new Endpoint("POST", "/api/auth/logout-all", Set.of(204)), new Endpoint("POST", "/api/auth/password", Set.of(204)),
            new Endpoint("POST", "/api/auth/password-reset", Set.of(202)),
            new Endpoint("POST", "/api/auth/password-reset/confirm", Set.of(204)),
            new Endpoint("GET", "/api/auth/email", Set.of(200)), new Endpoint("POST", "/api/auth/email/verification", Set.of(202)),
            new Endpoint("POST", "/api/auth/email/verification/confirm", Set.of(204)),
            new Endpoint("POST", "/api/auth/email/change", Set.of(202)), new Endpoint("POST", "/api/auth/email/change/confirm", Set.of(204)),
            new Endpoint("POST", "/api/auth/email/change/undo", Set.of(204)),
            new Endpoint("POST", "/api/auth/admin/revocations", Set.of(204)),
            new Endpoint("POST", "/api/auth/admin/imports/keycloak", Set.of(200)), new Endpoint("GET", "/api/auth/jwks.json", Set.of(200)),
            new Endpoint("GET", "/api/users/me", Set.of(200)), new Endpoint("PATCH", "/api/users/me", Set.of(200)),
            new Endpoint("DELETE", "/api/users/me", Set.of(204)), new Endpoint("GET", "/api/users/{id}", Set.of(200)));

    /** What goes with one request, besides the body: how it presents itself, and with which credentials. */
    record Envelope(int credentials, String contentType, String csrfOverride, String origin, String pathSegment, String noise) {
    }

    private final RunningSuite suite = RunningSuite.shared();
    private Browser session;

    @Test
    void everyAnswerIsDocumentedOrA4xxProblemAndTheGatewayStaysHealthy() {
        int[] sent = { 0 };
        for (Endpoint endpoint : ENDPOINTS) {
            try {
                qt().withFixedSeed(SEED + endpoint.hashCode()).withExamples(TRIES).withShrinkCycles(20)
                        .forAll(FuzzBodies.any(), envelopes())
                        .checkAssert((body, envelope) -> {
                            sent[0]++;
                            Answer answer = send(endpoint, body, envelope);
                            try {
                                check(endpoint, answer);
                            } catch (AssertionError e) {
                                throw new AssertionError("body " + new String(body, StandardCharsets.UTF_8) + ": " + e.getMessage(), e);
                            }
                        });
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("Fuzzing " + endpoint + " failed; reproduce with -Dsuite.fuzz.seed=" + SEED
                        + " -Dsuite.fuzz.tries=" + TRIES + ": " + e.getMessage(), e);
            }
        }
        assertThat(Http.get(suite.managementUrl(RunningSuite.GATEWAY) + "/q/health/ready").status()).isEqualTo(200);
        assertThat(Browser.signedUp(suite.gatewayUrl(), "after-fuzz").me().status()).isEqualTo(200);
        System.out.printf("[fuzz] %d requests over %d endpoints (seed %d): no 5xx, every error a problem+json%n",
                sent[0], ENDPOINTS.size(), SEED);
    }

    private Answer send(Endpoint endpoint, byte[] body, Envelope envelope) {
        if (session == null || session.cookie(Browser.ACCESS) == null) {
            session = Browser.signedUp(suite.gatewayUrl(), "fuzz"); // the previous one logged out or was deleted
        }
        String path = endpoint.path().replace("{id}", envelope.pathSegment());
        Map<String, String> headers = new HashMap<>();
        if (envelope.contentType() != null) {
            headers.put("Content-Type", envelope.contentType());
        }
        if (envelope.origin() != null) {
            headers.put("Origin", envelope.origin());
        }
        if (envelope.csrfOverride() != null) {
            headers.put("X-CSRF-Token", envelope.csrfOverride());
        }
        byte[] payload = FuzzBodies.fill(body, session.email(), Browser.PASSWORD);
        String access = session.cookie(Browser.ACCESS);
        return switch (envelope.credentials()) {
            case 0 -> Http.send(endpoint.method(), suite.gatewayUrl() + path, headers, payload);
            case 1 -> session.send(endpoint.method(), path, payload, headers, true, true);
            case 2 -> session.send(endpoint.method(), path, payload, headers, true, false);
            case 3 -> {
                headers.put("Cookie", Browser.ACCESS + "=" + mutate(access, envelope.noise()) + "; " + Browser.CSRF + "="
                        + session.cookie(Browser.CSRF));
                headers.putIfAbsent("X-CSRF-Token", session.cookie(Browser.CSRF));
                yield Http.send(endpoint.method(), suite.gatewayUrl() + path, headers, payload);
            }
            case 4 -> {
                headers.put("Authorization", "Bearer " + access);
                yield Http.send(endpoint.method(), suite.gatewayUrl() + path, headers, payload);
            }
            case 5 -> {
                headers.put("Authorization", envelope.noise());
                yield Http.send(endpoint.method(), suite.gatewayUrl() + path, headers, payload);
            }
            case 6 -> session.send(endpoint.method(), path, payload, Map.of("Authorization", "Bearer " + access), true, true);
            default -> {
                headers.put("Cookie", Browser.REFRESH + "=" + envelope.noise().replace(';', '.') + "; " + Browser.CSRF + "="
                        + session.cookie(Browser.CSRF));
                headers.putIfAbsent("X-CSRF-Token", session.cookie(Browser.CSRF));
                yield Http.send(endpoint.method(), suite.gatewayUrl() + path, headers, payload);
            }
        };
    }

    private static void check(Endpoint endpoint, Answer answer) {
        if (answer.status() < 400) {
            assertThat(endpoint.documented()).as("undocumented success: %s", answer).contains(answer.status());
        } else {
            HostileCorporaTest.assertClientError(answer);
        }
        HostileCorporaTest.assertNoServerError(answer);
    }

    /** Flips one character of a token at a position chosen from the noise string. */
    private static String mutate(String token, String noise) {
        if (token == null || token.isEmpty()) {
            return noise.replace(';', '.');
        }
        int at = Math.floorMod(noise.hashCode(), token.length());
        char replacement = noise.isEmpty() ? 'A' : noise.charAt(0) == token.charAt(at) ? 'B' : noise.charAt(0);
        return token.substring(0, at) + (replacement == ';' ? '.' : replacement) + token.substring(at + 1);
    }

    private static Gen<Envelope> envelopes() {
        Gen<String> printable = FuzzBodies.printable(0, 120);
        Gen<String> contentType = Generate.pick(java.util.Arrays.asList(null, "application/json", "application/json",
                "application/merge-patch+json", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                "application/json; charset=utf-16", "application/xml", "*/*", ""));
        Gen<String> csrf = Generate.frequency(org.quicktheories.api.Pair.of(6, Generate.constant((String) null)),
                org.quicktheories.api.Pair.of(2, printable), org.quicktheories.api.Pair.of(1, Generate.constant("v1.pre-x.9999999999.AAAA")));
        Gen<String> origin = Generate.pick(java.util.Arrays.asList(null, null, null, "https://evil.example", "null", "https://localhost"));
        Gen<String> segment = Generate.oneOf(Generate.constant(UUID.randomUUID().toString()), Generate.constant("me"),
                printable.map(s -> java.net.URLEncoder.encode(s, StandardCharsets.UTF_8)).assuming(s -> !s.isEmpty()));
        return Generate.range(0, 7).zip(contentType, csrf, origin, (credentials, type, token, from) -> new Object[] { credentials, type, token, from })
                .zip(segment, printable, (head, id, noise) -> new Envelope((Integer) head[0], (String) head[1], (String) head[2],
                        (String) head[3], id, noise));
    }
}
