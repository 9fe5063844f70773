package dev.suite.system.support;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.vertx.core.json.JsonObject;

/**
 * The SPA's view of the gateway: a cookie jar that honours each cookie's path and Max-Age, and the CSRF token from
 * the readable {@code __Host-csrf} cookie in {@code X-CSRF-Token} on every unsafe request, as the SPA sends it.
 */
public final class Browser {

    /** 15+ characters, not in the breached list, no part of the email or display name. */
    public static final String PASSWORD = "amber-kestrel-orchard-19";
    public static final String ACCESS = "__Host-access";
    public static final String REFRESH = "__Host-refresh";
    public static final String CSRF = "__Host-csrf";

    private record Cookie(String value, String path) {
    }

    private final String base;
    /** Headers every request carries, as a proxy in front of the gateway adds them. */
    private final Map<String, String> always;
    private final Map<String, Cookie> jar = new ConcurrentHashMap<>();
    private String email;

    public Browser(String base) {
        this(base, Map.of());
    }

    private Browser(String base, Map<String, String> always) {
        this.base = base;
        this.always = Map.copyOf(always);
    }

    /**
     * A browser whose requests reach the gateway's plain-HTTP port {@code base} through the Ingress, which terminated
     * TLS and says so ({@code X-Forwarded-Proto: https}), as in production.
     */
    public static Browser behindIngress(String base) {
        return new Browser(base, Map.of("X-Forwarded-Proto", "https"));
    }

    /** A new account through the gateway, signed in; fails the test if any step does not answer as documented. */
    public static Browser signedUp(String base, String prefix) {
        return signUp(new Browser(base), prefix);
    }

    /** {@code browser} with a new account, signed in; fails the test if any step does not answer as documented. */
    public static Browser signUp(Browser browser, String prefix) {
        String email = prefix + "-" + UUID.randomUUID() + "@example.com";
        browser.csrf();
        expect(browser.register(email, "Tester " + prefix), 202);
        expect(browser.login(email, PASSWORD), 200);
        return browser;
    }

    /** Another browser holding this one's cookies as they are now: what an attacker who copied them holds. */
    public Browser copy() {
        Browser copy = new Browser(base, always);
        copy.jar.putAll(jar);
        copy.email = email;
        return copy;
    }

    public String email() {
        return email;
    }

    public String cookie(String name) {
        Cookie cookie = jar.get(name);
        return cookie == null ? null : cookie.value();
    }

    public void forget(String name) {
        jar.remove(name);
    }

    public Answer csrf() {
        return send("GET", "/api/auth/csrf", null, Map.of());
    }

    public Answer register(String email, String displayName) {
        return send("POST", "/api/auth/register", new JsonObject().put("email", email).put("password", PASSWORD)
                .put("displayName", displayName).encode(), Map.of());
    }

    public Answer login(String email, String password) {
        this.email = email;
        return send("POST", "/api/auth/login", new JsonObject().put("email", email).put("password", password).encode(), Map.of());
    }

    public Answer refresh() {
        return send("POST", "/api/auth/refresh", null, Map.of());
    }

    public Answer logout() {
        return send("POST", "/api/auth/logout", null, Map.of());
    }

    public Answer me() {
        return send("GET", "/api/users/me", null, Map.of());
    }

    public Answer patchMe(JsonObject changes) {
        return send("PATCH", "/api/users/me", changes.encode(), Map.of());
    }

    /** Any request with this browser's cookies (and CSRF header for unsafe methods); extra headers win. */
    public Answer send(String method, String path, String jsonBody, Map<String, String> extraHeaders) {
        Map<String, String> headers = new HashMap<>();
        String cookies = cookieHeader(path);
        if (!cookies.isEmpty()) {
            headers.put("Cookie", cookies);
        }
        String csrf = cookie(CSRF);
        if (csrf != null && !method.equals("GET")) {
            headers.put("X-CSRF-Token", csrf);
        }
        headers.putAll(always);
        headers.putAll(extraHeaders);
        return remember(Http.send(method, base + path, headers, jsonBody));
    }

    /** For fuzzing: raw body bytes, and a choice whether this browser's cookies and CSRF header go along. */
    public Answer send(String method, String path, byte[] body, Map<String, String> extraHeaders, boolean withCookies,
            boolean withCsrf) {
        Map<String, String> headers = new HashMap<>();
        String cookies = cookieHeader(path);
        if (withCookies && !cookies.isEmpty()) {
            headers.put("Cookie", cookies);
        }
        String csrf = cookie(CSRF);
        if (withCsrf && csrf != null) {
            headers.put("X-CSRF-Token", csrf);
        }
        headers.putAll(always);
        headers.putAll(extraHeaders);
        return remember(Http.send(method, base + path, headers, body));
    }

    private String cookieHeader(String path) {
        StringBuilder header = new StringBuilder();
        jar.forEach((name, cookie) -> {
            if (path.startsWith(cookie.path())) {
                header.append(header.length() == 0 ? "" : "; ").append(name).append('=').append(cookie.value());
            }
        });
        return header.toString();
    }

    private Answer remember(Answer answer) {
        for (String setCookie : answer.headers().getOrDefault("set-cookie", List.of())) {
            String[] parts = setCookie.split(";");
            int eq = parts[0].indexOf('=');
            String name = parts[0].substring(0, eq).strip();
            String value = parts[0].substring(eq + 1).strip();
            String path = "/";
            boolean expired = value.isEmpty();
            for (int i = 1; i < parts.length; i++) {
                String attribute = parts[i].strip();
                if (attribute.regionMatches(true, 0, "Path=", 0, 5)) {
                    path = attribute.substring(5);
                } else if (attribute.regionMatches(true, 0, "Max-Age=", 0, 8)) {
                    expired |= Long.parseLong(attribute.substring(8)) <= 0;
                }
            }
            if (expired) {
                jar.remove(name);
            } else {
                jar.put(name, new Cookie(value, path));
            }
        }
        return answer;
    }

    public static Answer expect(Answer answer, int status) {
        if (answer.status() != status) {
            throw new AssertionError("Expected " + status + " but got " + answer);
        }
        return answer;
    }
}
