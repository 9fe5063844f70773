package dev.suite.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import dev.suite.fixtures.TestServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Per-IP limits: each test client connects from its own loopback address (127.0.0.x), so the limit it meets
 * is its own, exactly as two clients on two machines would.
 */
@QuarkusTest
@QuarkusTestResource(value = TestServices.class, initArgs = @ResourceArg(name = "with-user-service", value = "true"))
class RateLimitTest {

    @ConfigProperty(name = "gateway.rate-limits.auth-per-window")
    int limit;

    /** A refresh that spends a (stolen or used) refresh cookie: counted, then refused by the CSRF check (403). */
    private static final String SPENDING_REFRESH = "POST /api/auth/refresh";
    private static final String REFRESH_COOKIE = "Cookie: __Host-refresh=used-or-stolen\r\n";

    @Test
    void theAuthLimitPerIpAnswers429WithRetryAfterAndOtherClientsAreUnaffected() throws Exception {
        int noisyHost = 10 + new SecureRandom().nextInt(120);
        String noisy = "127.0.0." + noisyHost;
        String quiet = "127.0.0." + (noisyHost + 100);
        List<String> statuses = new ArrayList<>();
        for (int i = 0; i <= limit; i++) {
            statuses.add(statusLine(noisy, SPENDING_REFRESH, REFRESH_COOKIE));
        }
        assertThat(statuses.subList(0, limit)).allMatch(status -> status.contains(" 403 "));
        assertThat(statuses.get(limit)).contains(" 429 ");
        assertThat(lastHeaders).anyMatch(header -> header.toLowerCase().startsWith("retry-after: "));
        assertThat(statusLine(quiet, SPENDING_REFRESH, REFRESH_COOKIE)).contains(" 403 ");
    }

    /**
     * Attack (issue 20): people behind one office address open the SPA signed out; each page load asks for the
     * profile (401) and tries a refresh without any refresh cookie. Before, each load spent one of the address's
     * auth attempts, so enough visitors locked everyone there out of signing in. Now no load spends one.
     */
    @Test
    void signedOutPageLoadsSpendNoAuthAttempt() throws Exception {
        String office = "127.0.1." + (10 + new SecureRandom().nextInt(200));
        List<String> statuses = new ArrayList<>();
        for (int i = 0; i <= limit + 5; i++) {
            statuses.add(statusLine(office, "GET /api/users/me", ""));
            statuses.add(statusLine(office, "POST /api/auth/refresh", ""));
        }
        assertThat(statuses).allMatch(status -> status.contains(" 401 "));
        // Signing in from that address still reaches the CSRF check (403 without a token), never a 429.
        assertThat(statusLine(office, "POST /api/auth/login", "")).contains(" 403 ");
    }

    private List<String> lastHeaders = List.of();

    /** One HTTP/1.1 request over TLS from the given local address; returns the status line. */
    private String statusLine(String fromAddress, String requestLine, String extraHeaders) throws Exception {
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, new TrustManager[] { new TrustAnything() }, new SecureRandom());
        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(InetAddress.getByName("127.0.0.1"), 18443,
                InetAddress.getByName(fromAddress), 0)) {
            OutputStream out = socket.getOutputStream();
            out.write((requestLine + " HTTP/1.1\r\nHost: localhost:18443\r\n" + extraHeaders + "Content-Length: 0\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            String status = in.readLine();
            List<String> headers = new ArrayList<>();
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                headers.add(line);
            }
            lastHeaders = headers;
            return status;
        }
    }

    /** The test talks to its own gateway with the dev certificate; what is tested here is the limit, not TLS. */
    private static final class TrustAnything implements X509TrustManager {
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
