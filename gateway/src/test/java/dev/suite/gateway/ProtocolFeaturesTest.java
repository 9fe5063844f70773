package dev.suite.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.suite.fixtures.TestServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * HTTP features the gateway never needs, which a proxy in front of it may pass through: protocol upgrades
 * (h2c, WebSocket), ambiguous message framing (request smuggling), methods and request targets that only
 * proxies use, and ambiguous Host headers. Each attack is sent as raw bytes, followed on the same connection by an
 * innocent request: the gateway must refuse the attack and close the connection, so nothing after it is read as a
 * request of its own.
 */
@QuarkusTest
@QuarkusTestResource(value = TestServices.class, initArgs = @ResourceArg(name = "with-user-service", value = "true"))
class ProtocolFeaturesTest {

    private static final String HOST = "Host: localhost:" + RawHttp.TLS_PORT + "\r\n";
    /** Pipelined after each attack: answered only if the gateway kept reading the connection. */
    private static final String NEXT = "GET /api/auth/csrf HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";

    /**
     * Who refuses: our screen (problem+json, after Quarkus's security-header filter, which skips CONNECT: its target
     * has no path), or Netty
     * before any route runs (a bare 400).
     */
    enum RefusedBy { SCREEN, SCREEN_WITHOUT_HEADER_FILTER, NETTY, DECLINED_AND_CLOSED }

    record Attack(String name, String target, String head, String body, int status, RefusedBy by) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Attack> overTls() {
        String websocket = "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
        String emptyChunked = "0\r\n\r\n";
        return List.of(
                new Attack("WebSocket upgrade on the API", "/api/auth/csrf", websocket, "", 400, RefusedBy.SCREEN),
                new Attack("WebSocket upgrade on an SPA page", "/", websocket, "", 400, RefusedBy.SCREEN),
                new Attack("WebSocket upgrade on an SPA path", "/index.html", websocket, "", 400, RefusedBy.SCREEN),
                new Attack("h2c upgrade over TLS", "/api/auth/csrf",
                        "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n", "", 200,
                        RefusedBy.DECLINED_AND_CLOSED),
                new Attack("Transfer-Encoding gzip, chunked", "/api/auth/csrf", "Transfer-Encoding: gzip, chunked\r\n", emptyChunked, 400,
                        RefusedBy.SCREEN),
                new Attack("Transfer-Encoding chunked, identity", "/api/auth/csrf", "Transfer-Encoding: chunked, identity\r\n", emptyChunked,
                        400, RefusedBy.NETTY),
                new Attack("Transfer-Encoding identity", "/api/auth/csrf", "Transfer-Encoding: identity\r\n", emptyChunked, 400,
                        RefusedBy.SCREEN),
                new Attack("Transfer-Encoding xchunked", "/", "Transfer-Encoding: xchunked\r\n", emptyChunked, 400,
                        RefusedBy.SCREEN),
                new Attack("two Transfer-Encoding headers", "/api/auth/csrf", "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n",
                        emptyChunked, 400, RefusedBy.SCREEN),
                new Attack("two Host headers", "/api/auth/csrf", "Host: evil.example\r\n", "", 400, RefusedBy.SCREEN),
                new Attack("TRACE", "TRACE /api/auth/csrf", "", "", 405, RefusedBy.SCREEN),
                new Attack("CONNECT", "CONNECT localhost:8081", "", "", 405, RefusedBy.SCREEN_WITHOUT_HEADER_FILTER),
                new Attack("an absolute-form target naming a foreign host", "https://evil.example/api/auth/csrf", "", "", 400, RefusedBy.SCREEN),
                new Attack("an absolute-form target naming our own host", "https://localhost:18443/api/auth/csrf", "", "", 400,
                        RefusedBy.SCREEN));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overTls")
    void refusedOverTlsAndTheConnectionClosed(Attack attack) {
        String requestLine = attack.target.contains(" ") ? attack.target : "GET " + attack.target;
        RawHttp.Exchange answer = RawHttp.tls(requestLine + " HTTP/1.1\r\n" + HOST + attack.head + "\r\n" + attack.body + NEXT);
        switch (attack.by) {
            case SCREEN -> assertRefused(answer, attack.status);
            case SCREEN_WITHOUT_HEADER_FILTER -> {
                assertRefusedByNetty(answer, attack.status);
                assertThat(answer.hasHeader("content-type", "application/problem+json")).as("problem body: %s", answer).isTrue();
            }
            case NETTY, DECLINED_AND_CLOSED -> assertRefusedByNetty(answer, attack.status);
        }
    }

    @Test
    void noHostHeaderIsRefused() {
        // Vert.x Web fails this one before any route (so before the security-header filter): a problem body, no headers.
        RawHttp.Exchange answer = RawHttp.tls("GET /api/auth/csrf HTTP/1.1\r\n\r\n" + NEXT);
        assertRefusedByNetty(answer, 400);
        assertThat(answer.hasHeader("content-type", "application/problem+json")).as("problem body: %s", answer).isTrue();
    }

    @Test
    void smuggledRequestBehindContentLengthAndChunkedIsNeverAnswered() {
        // A front proxy that frames by Content-Length forwards all of this as one request; a server that frames by
        // chunked encoding sees the body end at "0" and reads the rest as a second request of the attacker's.
        String smuggled = "GET /api/auth/jwks.json HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
        String body = "0\r\n\r\n" + smuggled;
        String request = "POST /api/auth/refresh HTTP/1.1\r\n" + HOST + "Content-Type: application/json\r\n"
                + "Content-Length: " + body.length() + "\r\nTransfer-Encoding: chunked\r\n\r\n" + body;
        // Netty (4.1.133) refuses both framings at once itself; the screen would refuse it too if it got that far.
        assertRefusedByNetty(RawHttp.tls(request), 400);
    }

    @Test
    void h2cUpgradeOnThePlainPortIsNotSwitched() {
        String head = "GET /api/auth/csrf HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade, HTTP2-Settings\r\n"
                + "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n";
        RawHttp.Exchange answer = RawHttp.plain(RestAssured.port, head + NEXT);
        assertThat(answer.raw()).as("answer to an h2c upgrade").doesNotContain(" 101 ");
        // The offer is declined: answered over HTTP/1.1 (the plain port's redirect to HTTPS), then the connection closed
        // (nothing left to tunnel through).
        assertRefusedByNetty(answer, 308);
        assertThat(answer.hasHeader("connection", "close")).as("%s", answer).isTrue();
    }

    @Test
    void javasHttpClientOffersH2cByDefaultAndIsServedOverHttp11() throws Exception {
        // Java clients in the cluster use it with its defaults: declining must not break them (the plain port redirects).
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + RestAssured.port + "/api/auth/csrf")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(308);
        assertThat(answer.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    }

    @Test
    void http2WithPriorKnowledgeOnThePlainPortIsNotSpoken() {
        byte[] preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        byte[] emptySettings = { 0, 0, 0, 4, 0, 0, 0, 0, 0 };
        byte[] bytes = new byte[preface.length + emptySettings.length];
        System.arraycopy(preface, 0, bytes, 0, preface.length);
        System.arraycopy(emptySettings, 0, bytes, preface.length, emptySettings.length);
        RawHttp.Exchange answer = RawHttp.send(false, RestAssured.port, bytes);
        // An HTTP/2 server's first bytes are its SETTINGS frame: a 9-byte header whose fourth byte is type 4.
        boolean spokeHttp2 = answer.raw().length() >= 9 && answer.raw().charAt(3) == 4;
        assertThat(spokeHttp2).as("HTTP/2 spoken in clear text: %s", answer).isFalse();
        assertThat(answer.closedByServer()).as("connection closed: %s", answer).isTrue();
    }

    @Test
    void anAbsoluteFormTargetOnThePlainPortIsNoOpenRedirect() {
        RawHttp.Exchange answer = RawHttp.plain(RestAssured.port, "GET http://evil.example/api/auth/csrf HTTP/1.1\r\nHost: localhost\r\n\r\n" + NEXT);
        assertThat(answer.raw()).as("redirect target").doesNotContain("evil.example");
        assertRefused(answer, 400);
    }

    @Test
    void twoHostHeadersOnThePlainPortAreNoOpenRedirect() {
        RawHttp.Exchange answer = RawHttp.plain(RestAssured.port, "GET /api/auth/csrf HTTP/1.1\r\nHost: evil.example\r\nHost: localhost\r\n\r\n" + NEXT);
        assertThat(answer.raw()).as("redirect target").doesNotContain("evil.example");
        assertRefused(answer, 400);
    }

    @Test
    void http2OverTlsStillServesBrowsersAndAPlainHttp11RequestStillWorks() throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(RawHttp.trustAnything()).version(HttpClient.Version.HTTP_2).build();
        HttpResponse<String> answer = client.send(HttpRequest.newBuilder(URI.create(GatewayClient.BASE + "/api/auth/csrf")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(answer.statusCode()).isEqualTo(200);
        // The control for every attack above: the same connection handling with an ordinary request answers both.
        RawHttp.Exchange ordinary = RawHttp.tls("GET /api/auth/csrf HTTP/1.1\r\n" + HOST + "\r\n" + NEXT);
        assertThat(ordinary.statuses()).as("%s", ordinary).containsExactly(200, 200);
        // And a chunked body alone is still ordinary HTTP/1.1.
        String chunked = "POST /api/auth/refresh HTTP/1.1\r\n" + HOST + "Content-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n" + NEXT;
        RawHttp.Exchange refresh = RawHttp.tls(chunked);
        assertThat(refresh.statuses()).as("%s", refresh).containsExactly(401, 200);
    }

    /** One 4xx problem answer with the security headers, then the connection closed, unread requests ignored. */
    private static void assertRefused(RawHttp.Exchange answer, int status) {
        assertRefusedByNetty(answer, status);
        assertThat(answer.hasHeader("content-type", "application/problem+json")).as("problem body: %s", answer).isTrue();
        assertThat(answer.hasHeader("content-security-policy", "frame-ancestors 'none'")).as("security headers: %s", answer).isTrue();
    }

    /** What Netty refuses before any route runs: a bare status line, then the connection closed. */
    private static void assertRefusedByNetty(RawHttp.Exchange answer, int status) {
        assertThat(answer.statuses()).as("answers on the connection: %s", answer).containsExactly(status);
        assertThat(answer.closedByServer()).as("connection closed: %s", answer).isTrue();
    }
}
