package dev.suite.tokenguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.suite.localstack.DevCertificates;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.http.HttpServer;

/**
 * Issue 17, item 7: whoever serves the JWKS mints tokens every verifier accepts. A host on the network that answers
 * for the auth service with a certificate from another CA (or from the right CA, but for another host) gets no JWKS
 * fetched from it; the real auth service, under the suite CA's certificate for its host, does.
 */
class JwksServerTrustTest {

    private static final String JWKS = "{\"keys\":[]}";

    @TempDir
    static Path dir;

    static Vertx vertx;
    static Path suiteCa;
    static HttpServer authService;
    static HttpServer impostor;

    @BeforeAll
    static void serveTheJwksTwice() throws Exception {
        vertx = Vertx.vertx();
        DevCertificates.Issued ca = DevCertificates.newCa("Suite CA");
        suiteCa = dir.resolve("suite-ca.crt");
        DevCertificates.writePem(suiteCa, ca.certificate());
        authService = jwksServer("auth", ca);
        impostor = jwksServer("impostor", DevCertificates.newCa("Somebody else's CA"));
    }

    @AfterAll
    static void stop() {
        vertx.closeAndAwait();
    }

    @Test
    void theAuthServiceUnderTheSuiteCaForItsHostIsTrusted() {
        assertThat(fetch("https://localhost:" + authService.actualPort() + "/jwks")).isEqualTo(JWKS);
    }

    @Test
    void aHostWithACertificateFromAnotherCaCannotPoseAsTheAuthService() {
        assertThatThrownBy(() -> fetch("https://localhost:" + impostor.actualPort() + "/jwks"))
                .hasStackTraceContaining("SSLHandshakeException");
    }

    @Test
    void aSuiteCertificateForAnotherHostDoesNotCount() {
        // The suite's server certificates name localhost, 127.0.0.1 and ::1; 127.0.0.2 is the same server, another name.
        assertThatThrownBy(() -> fetch("https://127.0.0.2:" + authService.actualPort() + "/jwks"))
                .hasStackTraceContaining("SSLHandshakeException");
    }

    @Test
    void aPlainHttpJwksUrlBesideANamedCaIsAMistakeThatStopsTheStart() {
        assertThatThrownBy(() -> fetch("http://localhost:" + authService.actualPort() + "/jwks"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("https");
    }

    private static String fetch(String url) {
        return new RemoteJwksSource(vertx, url, Optional.of(suiteCa.toString()), Duration.ofSeconds(30)).fetch()
                .await().atMost(Duration.ofSeconds(60)); // bounds for a loaded machine, not a timing check
    }

    private static HttpServer jwksServer(String name, DevCertificates.Issued ca) throws Exception {
        DevCertificates.Issued server = DevCertificates.newServerCertificate(ca, "localhost");
        Path cert = dir.resolve(name + ".crt");
        Path key = dir.resolve(name + ".key");
        DevCertificates.writePem(cert, server.certificate());
        DevCertificates.writePem(key, new JcaPKCS8Generator(server.keyPair().getPrivate(), null).generate());
        HttpServerOptions options = new HttpServerOptions().setSsl(true).setHost("0.0.0.0")
                .setKeyCertOptions(new PemKeyCertOptions().setCertPath(cert.toString()).setKeyPath(key.toString()));
        return vertx.createHttpServer(options)
                .requestHandler(request -> request.response().putHeader("Content-Type", "application/json").endAndForget(JWKS))
                .listen(0).await().atMost(Duration.ofSeconds(10));
    }
}
