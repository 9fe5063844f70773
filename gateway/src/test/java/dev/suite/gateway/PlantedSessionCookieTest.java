package dev.suite.gateway;

import static dev.suite.gateway.GatewayClient.https;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.suite.fixtures.TestServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Cookie tossing: a sibling subdomain (or a nameless cookie "=__Host-x=...") plants a session cookie of its own next
 * to the victim's. Browsers send both, the planted one often first, and a server that takes the first cookie of a
 * name signs the victim into the attacker's account. Every session cookie is {@code __Host-} (no Domain, Path=/), and a
 * request carrying two cookies of a session name is refused before anything reads them.
 */
@QuarkusTest
@QuarkusTestResource(value = TestServices.class, initArgs = @ResourceArg(name = "with-user-service", value = "true"))
class PlantedSessionCookieTest {

    static final List<String> SESSION_NAMES = List.of("__Host-access", "__Host-refresh", "__Host-csrf", "__Host-device");

    @ParameterizedTest(name = "two {0} cookies")
    @MethodSource("plantedNames")
    void aPlantedDuplicateIsRefusedAndTheVictimKeepsHerSession(String planted) {
        GatewayClient victim = GatewayClient.signedIn("Victim");
        GatewayClient attacker = GatewayClient.signedIn("Mallory");
        String name = canonical(planted);
        // The victim's own cookie of that name (the device cookie is not handed out yet: she has one of her own).
        String victims = sessionCookies(victim) + (victim.jar.containsKey(name) ? "" : "; " + name + "=victims-own");
        String cookies = planted + "=" + attacker.jar.getOrDefault(name, "planted-by-a-sibling") + "; " + victims;
        for (Response answer : List.of(
                https().header("Cookie", cookies).get("/api/users/me"),
                https().header("Cookie", cookies).header("X-CSRF-Token", victim.jar.get("__Host-csrf")).post("/api/auth/refresh"),
                https().header("Cookie", cookies).header("X-CSRF-Token", victim.jar.get("__Host-csrf"))
                        .contentType("application/json").body(Map.of("bio", "set by Mallory")).patch("/api/users/me"))) {
            answer.then().statusCode(400).contentType("application/problem+json");
            assertThat(answer.asString()).doesNotContain("Mallory").doesNotContain(attacker.jar.get("email"));
            assertThat(answer.headers().getValues("Set-Cookie")).as("no session handed out").isEmpty();
        }
        victim.browser().get("/api/users/me").then().statusCode(200)
                .body("displayName", org.hamcrest.Matchers.equalTo("Victim"))
                .body("bio", org.hamcrest.Matchers.not(org.hamcrest.Matchers.equalTo("set by Mallory")));
    }

    /** Each session name, and a case variant (browsers treat the __Host- prefix case-insensitively). */
    static List<String> plantedNames() {
        List<String> names = new java.util.ArrayList<>(SESSION_NAMES);
        names.add("__host-access");
        names.add("__HOST-refresh");
        return names;
    }

    @Test
    void aDuplicateInASecondCookieHeaderIsRefusedToo() {
        GatewayClient victim = GatewayClient.signedIn("Victim");
        GatewayClient attacker = GatewayClient.signedIn("Mallory");
        // Vert.x reads only the first Cookie header: the attacker's one would win unseen.
        Response answer = https().header("Cookie", "__Host-access=" + attacker.jar.get("__Host-access"))
                .header("Cookie", sessionCookies(victim)).get("/api/users/me");
        answer.then().statusCode(400).contentType("application/problem+json");
        assertThat(answer.asString()).doesNotContain("Mallory");
    }

    @Test
    void aRefreshCookiePlantedUnderTheOldNameIsIgnoredAndCleared() {
        GatewayClient victim = GatewayClient.signedIn("Victim");
        GatewayClient attacker = GatewayClient.signedIn("Mallory");
        // Yesterday's attack: __Secure-refresh=<attacker's>; Domain=<parent>; Path=/api/auth/refresh, sent first.
        String attackersRefresh = attacker.jar.entrySet().stream().filter(c -> c.getKey().endsWith("-refresh"))
                .map(Map.Entry::getValue).findFirst().orElseThrow();
        Response answer = https().header("Cookie", "__Secure-refresh=" + attackersRefresh + "; " + sessionCookies(victim))
                .header("X-CSRF-Token", victim.jar.get("__Host-csrf")).post("/api/auth/refresh");
        assertThat(answer.asString()).doesNotContain(attacker.jar.get("email"));
        answer.then().statusCode(200).body("user.email", org.hamcrest.Matchers.equalTo(victim.jar.get("email")));
        assertThat(answer.headers().getValues("Set-Cookie"))
                .anyMatch(c -> c.startsWith("__Secure-refresh=;") && c.contains("Max-Age=0") && c.contains("Path=/api/auth"));
    }

    @Test
    void everySessionCookieIsHostPrefixedForThePathRootWithoutDomain() {
        GatewayClient browser = new GatewayClient();
        Response csrf = browser.csrf();
        String email = "cookies-" + System.nanoTime() + "@example.com";
        browser.remember(browser.browser().contentType("application/json")
                .body(Map.of("email", email, "password", GatewayClient.PASSWORD, "displayName", "Cookies")).post("/api/auth/register"));
        Response login = browser.remember(browser.browser().contentType("application/json")
                .body(Map.of("email", email, "password", GatewayClient.PASSWORD)).post("/api/auth/login"));
        Response refresh = browser.remember(browser.browser().post("/api/auth/refresh"));
        Response logout = browser.remember(browser.browser().post("/api/auth/logout"));
        for (Response answer : List.of(login, refresh)) {
            assertThat(cookieNames(answer)).as("session cookies set").contains("__Host-access", "__Host-refresh", "__Host-csrf");
        }
        assertThat(cookieNames(logout)).as("session cookies cleared").contains("__Host-access", "__Host-refresh");
        for (Response answer : List.of(csrf, login, refresh, logout)) {
            for (String setCookie : answer.headers().getValues("Set-Cookie")) {
                String name = setCookie.substring(0, setCookie.indexOf('='));
                // Attribute names are case-insensitive (Vert.x writes "HTTPOnly").
                List<String> attributes = List.of(setCookie.substring(setCookie.indexOf(';') + 1).toLowerCase(Locale.ROOT).split(";\\s*"))
                        .stream().map(String::strip).toList();
                assertThat(name).as(setCookie).startsWith("__Host-");
                assertThat(attributes).as(setCookie).contains("path=/", "secure", "samesite=strict")
                        .noneMatch(a -> a.startsWith("domain"));
                if (name.equals("__Host-csrf")) {
                    assertThat(attributes).as(setCookie).doesNotContain("httponly");
                } else {
                    assertThat(attributes).as(setCookie).contains("httponly");
                }
            }
        }
    }

    @Test
    void http2CookieCrumbsAreReadTogetherAndADuplicateAcrossThemIsRefused() throws Exception {
        GatewayClient victim = GatewayClient.signedIn("Victim");
        GatewayClient attacker = GatewayClient.signedIn("Mallory");
        HttpClient client = HttpClient.newBuilder().sslContext(RawHttp.trustAnything()).version(HttpClient.Version.HTTP_2).build();
        // HTTP/2 clients may send each cookie as a header field of its own (RFC 9113, 8.2.3): the control first, read
        // whole; then the attack, the attacker's access cookie in the first field.
        HttpResponse<String> crumbs = client.send(HttpRequest.newBuilder(URI.create(GatewayClient.BASE + "/api/users/me"))
                .header("Cookie", "__Host-csrf=" + victim.jar.get("__Host-csrf"))
                .header("Cookie", "__Host-access=" + victim.jar.get("__Host-access")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(crumbs.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(crumbs.statusCode()).as(crumbs.body()).isEqualTo(200);
        assertThat(crumbs.body()).contains("Victim");
        HttpResponse<String> planted = client.send(HttpRequest.newBuilder(URI.create(GatewayClient.BASE + "/api/users/me"))
                .header("Cookie", "__Host-access=" + attacker.jar.get("__Host-access"))
                .header("Cookie", "__Host-access=" + victim.jar.get("__Host-access")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(planted.statusCode()).as(planted.body()).isEqualTo(400);
        assertThat(planted.body()).doesNotContain("Mallory");
    }

    private static String canonical(String name) {
        return SESSION_NAMES.stream().filter(n -> n.equalsIgnoreCase(name)).findFirst().orElse(name);
    }

    /** The victim's own session cookies, as her browser sends them. */
    private static String sessionCookies(GatewayClient client) {
        return client.jar.entrySet().stream().filter(c -> c.getKey().startsWith("__"))
                .map(c -> c.getKey() + "=" + c.getValue()).collect(Collectors.joining("; "));
    }

    private static List<String> cookieNames(Response answer) {
        return answer.headers().getValues("Set-Cookie").stream().map(c -> c.substring(0, c.indexOf('='))).toList();
    }
}
