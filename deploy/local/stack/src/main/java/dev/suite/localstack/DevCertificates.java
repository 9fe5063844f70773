package dev.suite.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A private CA and a server certificate for localhost / 127.0.0.1 / ::1, made once into {@code .local/tls}
 * and renewed when the server certificate is about to expire. PostgreSQL and the gateway present the server
 * certificate; clients trust only {@code ca.crt} and verify the host name.
 */
public final class DevCertificates {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration SERVER_VALIDITY = Duration.ofDays(397);
    private static final Duration RENEW_BEFORE = Duration.ofDays(30);

    public record TlsFiles(Path caCert, Path serverCert, Path serverKey) {
    }

    /** A certificate and its key pair, kept in memory (tests use one as a CA nobody should trust). */
    public record Issued(X509Certificate certificate, KeyPair keyPair) {
    }

    private DevCertificates() {
    }

    /** The CA and server certificate in {@code dir}, made (under the lock of its folder's parent) when missing or expiring. */
    public static synchronized TlsFiles ensure(Path dir) {
        TlsFiles files = new TlsFiles(dir.resolve("ca.crt"), dir.resolve("server.crt"), dir.resolve("server.key"));
        return LocalSecrets.exclusively(dir.toAbsolutePath().getParent(), () -> {
            try {
                if (!stillValid(files)) {
                    LocalSecrets.PrivateFiles.createDirectory(dir);
                    Issued ca = newCa("Secure Suite local CA");
                    Issued server = newServerCertificate(ca, "localhost");
                    writePem(files.caCert(), ca.certificate());
                    writePem(files.serverCert(), server.certificate());
                    writePem(files.serverKey(), new JcaPKCS8Generator(server.keyPair().getPrivate(), null).generate());
                    LocalSecrets.PrivateFiles.restrict(files.serverKey());
                }
                return files;
            } catch (GeneralSecurityException | OperatorCreationException e) {
                throw new IllegalStateException("Cannot create the dev certificates", e);
            }
        });
    }

    public static Issued newCa(String commonName) throws GeneralSecurityException, OperatorCreationException {
        KeyPair keys = ecKeyPair();
        X500Name name = new X500Name("CN=" + commonName);
        Instant now = Instant.now();
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(),
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(3650))), name,
                    keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            new JcaX509ExtensionUtils().createSubjectKeyIdentifier(keys.getPublic()));
            return new Issued(sign(builder, keys), keys);
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
    }

    public static Issued newServerCertificate(Issued ca, String commonName)
            throws GeneralSecurityException, OperatorCreationException {
        return newServerCertificate(ca, commonName, List.of());
    }

    /** A server certificate for localhost, 127.0.0.1, ::1 and {@code moreAddresses} (IP addresses). */
    public static Issued newServerCertificate(Issued ca, String commonName, List<String> moreAddresses)
            throws GeneralSecurityException, OperatorCreationException {
        return newLeafCertificate(ca, commonName, moreAddresses, KeyPurposeId.id_kp_serverAuth);
    }

    /**
     * A certificate that may only log a client in ({@code clientAuth}), for localhost, 127.0.0.1 and ::1: what a Redis
     * Cluster node presents when it connects to another's cluster bus, which always checks the client's certificate.
     */
    public static Issued newClientCertificate(Issued ca, String commonName) throws GeneralSecurityException, OperatorCreationException {
        return newLeafCertificate(ca, commonName, List.of(), KeyPurposeId.id_kp_clientAuth);
    }

    private static Issued newLeafCertificate(Issued ca, String commonName, List<String> moreAddresses, KeyPurposeId purpose)
            throws GeneralSecurityException, OperatorCreationException {
        KeyPair keys = ecKeyPair();
        Instant now = Instant.now();
        List<GeneralName> names = new ArrayList<>(List.of(new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.iPAddress, "::1")));
        moreAddresses.forEach(address -> names.add(new GeneralName(GeneralName.iPAddress, address)));
        GeneralNames altNames = new GeneralNames(names.toArray(GeneralName[]::new));
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca.certificate(), serial(),
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(SERVER_VALIDITY)),
                    new X500Name("CN=" + commonName), keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose))
                    .addExtension(Extension.subjectAlternativeName, false, altNames)
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            extensions.createAuthorityKeyIdentifier(ca.certificate()))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(keys.getPublic()));
            X509Certificate certificate = new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA")
                            .build(ca.keyPair().getPrivate())));
            return new Issued(certificate, keys);
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
    }

    /**
     * A CA of its own and a server certificate for {@code addresses}, written into {@code dir} (which goes with the run
     * that made it): the cross-host test's servers present it, its clients trust only that CA. The CA's key is never
     * written.
     */
    public static TlsFiles issueForAddresses(Path dir, String caName, List<String> addresses) {
        TlsFiles files = new TlsFiles(dir.resolve("ca.crt"), dir.resolve("server.crt"), dir.resolve("server.key"));
        try {
            LocalSecrets.PrivateFiles.createDirectory(dir);
            Issued ca = newCa(caName);
            Issued server = newServerCertificate(ca, addresses.get(0), addresses);
            writePem(files.caCert(), ca.certificate());
            writePem(files.serverCert(), server.certificate());
            writePem(files.serverKey(), new JcaPKCS8Generator(server.keyPair().getPrivate(), null).generate());
            LocalSecrets.PrivateFiles.restrict(files.serverKey());
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write certificates into " + dir, e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("Cannot create certificates for " + addresses, e);
        }
    }

    /**
     * A CA of its own and, under it, a server certificate for each of {@code hosts} (a name, such as "auth-service", to
     * its address), written into {@code dir} as {@code NAME.crt} and {@code NAME.key} beside {@code ca.crt}: each of the
     * cross-host test's servers presents only its own host's certificate, so a certificate cannot be carried to another
     * address. The CA's key is never written.
     */
    public static java.util.Map<String, TlsFiles> issueForHosts(Path dir, String caName, java.util.Map<String, String> hosts) {
        try {
            LocalSecrets.PrivateFiles.createDirectory(dir);
            Issued ca = newCa(caName);
            Path caCert = dir.resolve("ca.crt");
            writePem(caCert, ca.certificate());
            java.util.Map<String, TlsFiles> issued = new java.util.LinkedHashMap<>();
            for (java.util.Map.Entry<String, String> host : hosts.entrySet()) {
                Issued server = newServerCertificate(ca, host.getValue(), List.of(host.getValue()));
                TlsFiles files = new TlsFiles(caCert, dir.resolve(host.getKey() + ".crt"), dir.resolve(host.getKey() + ".key"));
                writePem(files.serverCert(), server.certificate());
                writePem(files.serverKey(), new JcaPKCS8Generator(server.keyPair().getPrivate(), null).generate());
                LocalSecrets.PrivateFiles.restrict(files.serverKey());
                issued.put(host.getKey(), files);
            }
            return issued;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write certificates into " + dir, e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("Cannot create certificates for " + hosts, e);
        }
    }

    /**
     * A client's TLS context that trusts the CAs in {@code caFiles} (PEM) and no other: the JVM's public CAs cannot
     * vouch for a suite host, and nothing is trusted blindly.
     */
    public static javax.net.ssl.SSLContext trustingOnly(Path... caFiles) {
        try {
            java.security.KeyStore trust = java.security.KeyStore.getInstance(java.security.KeyStore.getDefaultType());
            trust.load(null, null);
            for (Path caFile : caFiles) {
                try (InputStream in = Files.newInputStream(caFile)) {
                    trust.setCertificateEntry("ca-" + trust.size(), CertificateFactory.getInstance("X.509").generateCertificate(in));
                }
            }
            javax.net.ssl.TrustManagerFactory factory = javax.net.ssl.TrustManagerFactory.getInstance(
                    javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the CAs " + java.util.Arrays.toString(caFiles), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot trust the CAs in " + java.util.Arrays.toString(caFiles), e);
        }
    }

    /** A fresh EC P-256 private key, ready for {@link #writePem}. */
    static Object newSigningKeyPkcs8() {
        try {
            return new JcaPKCS8Generator(ecKeyPair().getPrivate(), null).generate();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("Cannot create a signing key", e);
        }
    }

    public static void writePem(Path file, Object object) throws IOException {
        try (Writer out = Files.newBufferedWriter(file); JcaPEMWriter pem = new JcaPEMWriter(out)) {
            pem.writeObject(object);
        }
    }

    private static boolean stillValid(TlsFiles files) throws IOException {
        if (!Files.exists(files.caCert()) || !Files.exists(files.serverKey())
                || !Files.exists(files.serverCert())) {
            return false;
        }
        try (InputStream in = Files.newInputStream(files.serverCert())) {
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            return cert.getNotAfter().toInstant().isAfter(Instant.now().plus(RENEW_BEFORE));
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair keys)
            throws GeneralSecurityException, OperatorCreationException {
        return new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
    }

    private static KeyPair ecKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(127, RANDOM);
    }
}
