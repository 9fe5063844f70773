package dev.suite.system.support;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import dev.suite.localstack.SuiteRoot;

/** An SSL context that trusts the dev CA of {@code .local/tls} only, as a careful client would. */
public final class Tls {

    private static SSLContext context;

    private Tls() {
    }

    public static synchronized SSLContext context() {
        if (context == null) {
            context = trustingOnly(caFile());
        }
        return context;
    }

    /** An SSL context that trusts the CA in {@code caFile} (PEM) and no other. */
    public static SSLContext trustingOnly(Path caFile) {
        return dev.suite.localstack.DevCertificates.trustingOnly(caFile);
    }

    /** The dev CA, or the CA named by {@code -Dsuite.tls.ca-file} (the cross-host test's own, in its probes). */
    public static Path caFile() {
        String own = System.getProperty("suite.tls.ca-file");
        return own != null ? Path.of(own) : SuiteRoot.find().resolve(".local/tls/ca.crt");
    }
}
