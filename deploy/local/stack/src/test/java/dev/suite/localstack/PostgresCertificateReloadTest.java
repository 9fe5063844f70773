package dev.suite.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18, item 6: a renewed certificate reaches PostgreSQL's clients. PostgreSQL reads its certificate at start and
 * on a reload only, so files swapped underneath it (cert-manager renewing the Secret) change nothing by themselves:
 * the server keeps presenting the old certificate until it expires and every verify-full client fails. Kubernetes
 * runs deploy/k8s/base/tls/reload-on-renewal.sh beside the server; here the very script watches a real server of
 * the local stack (its own, so the shared stack's certificate never changes under other tests).
 */
class PostgresCertificateReloadTest {

    private static final Path RELOADER = SuiteRoot.find().resolve("deploy/k8s/base/tls/reload-on-renewal.sh");

    @Test
    void aRenewedCertificateIsServedOnceTheReloaderRuns(@TempDir Path dir) throws Exception {
        DevCertificates.TlsFiles renewed = DevCertificates.issueForAddresses(dir.resolve("renewed"), "Renewed CA",
                List.of("127.0.0.1"));
        DevCertificates.TlsFiles again = DevCertificates.issueForAddresses(dir.resolve("again"), "Renewed CA 2",
                List.of("127.0.0.1"));
        try (LocalStack stack = LocalStack.startNew()) {
            LocalPostgres postgres = stack.postgres();
            Path servedCert = postgres.dataDir().resolve("server.crt");
            Path servedKey = postgres.dataDir().resolve("server.key");
            TrustingOnly client = new TrustingOnly(stack.secrets().tls().caCert(), renewed.caCert(), again.caCert());
            X509Certificate before = client.certificateServedOn(postgres.port());

            // A renewal while no reloader runs, as the kubelet makes it: new files in place, the server not told.
            renewInPlace(renewed, servedCert, servedKey);
            Thread.sleep(1500);
            assertThat(client.certificateServedOn(postgres.port()).getSerialNumber())
                    .as("without a reload the old certificate is still served").isEqualTo(before.getSerialNumber());

            // Kubernetes reloads with pg_reload_conf() over the server's socket; the local server has none (and its
            // superuser no network login), so here the reload is the same signal the server gets from it: SIGHUP.
            ProcessBuilder script = new ProcessBuilder("sh", RELOADER.toString(), "1", servedCert.toString(), servedKey.toString(),
                    "sh", "-c", "kill -HUP \"$(head -n 1 \"$0/postmaster.pid\")\"", postgres.dataDir().toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("reloader.log").toFile());
            script.environment().put("TMPDIR", dir.toString()); // its heartbeat file, which the liveness probe reads
            Process reloader = script.start();
            try {
                // Its first round reloads: the renewal made before it started is not missed.
                awaitServed(client, postgres.port(), read(renewed.serverCert()), dir);
                // A renewal while it runs.
                renewInPlace(again, servedCert, servedKey);
                awaitServed(client, postgres.port(), read(again.serverCert()), dir);
                assertThat(dir.resolve("reload-on-renewal.alive")).as("the heartbeat of each round").exists();
            } finally {
                reloader.destroy();
                reloader.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    private static void renewInPlace(DevCertificates.TlsFiles renewal, Path servedCert, Path servedKey) throws IOException {
        // Written over the server's own files: their owner and mode stay what the server accepts.
        Files.write(servedCert, Files.readAllBytes(renewal.serverCert()));
        Files.write(servedKey, Files.readAllBytes(renewal.serverKey()));
    }

    private static void awaitServed(TrustingOnly client, int port, X509Certificate expected, Path dir) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        X509Certificate served = client.certificateServedOn(port);
        while (!served.getSerialNumber().equals(expected.getSerialNumber()) && System.nanoTime() < deadline) {
            Thread.sleep(250);
            served = client.certificateServedOn(port);
        }
        assertThat(served.getSerialNumber()).as("the renewed certificate, served without a restart (reloader log: %s)",
                Files.readString(dir.resolve("reloader.log"))).isEqualTo(expected.getSerialNumber());
    }

    private static X509Certificate read(Path pem) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    /** Reads the certificate PostgreSQL presents; trusts the CAs of this test alone, and checks nothing else. */
    private static final class TrustingOnly {

        private final SSLContext context;

        TrustingOnly(Path... caFiles) {
            context = DevCertificates.trustingOnly(caFiles);
        }

        /** PostgreSQL's SSLRequest, then the TLS handshake: the server's certificate, before any login. */
        X509Certificate certificateServedOn(int port) throws IOException {
            try (Socket plain = new Socket("127.0.0.1", port)) {
                plain.setSoTimeout(10_000);
                DataOutputStream out = new DataOutputStream(plain.getOutputStream());
                out.writeInt(8);
                out.writeInt(80877103);
                out.flush();
                int answer = new DataInputStream(plain.getInputStream()).read();
                assertThat((char) answer).as("PostgreSQL accepts TLS").isEqualTo('S');
                try (SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, "127.0.0.1", port, false)) {
                    tls.startHandshake();
                    return (X509Certificate) tls.getSession().getPeerCertificates()[0];
                }
            }
        }
    }
}
