package dev.suite.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A real mail server for the suite's mail (password resets, security notices): GreenMail standalone from Maven
 * Central (com.icegreen:greenmail-standalone, copied into this module's jar at build time and run as a process of its
 * own, like Redis and PostgreSQL), on loopback. It speaks SMTP over TLS from the first byte (SMTPS, RFC 8314's implicit
 * TLS: GreenMail offers no STARTTLS) with the stack's server certificate, so the auth service checks the suite CA and
 * the host name before it hands over its SMTP password or a reset link; it refuses a login with a wrong password. It
 * keeps every message in memory and shows them on its HTTP API (plain HTTP, bound to 127.0.0.1): a developer reads them
 * in a browser ({@link #mailboxUrl}), the tests read them from there too ({@link #messagesTo}).
 */
public final class LocalSmtp {

    /** The GreenMail user the auth service logs in as (SMTP AUTH); its password is the secret {@link #PASSWORD_ENTRY}. */
    public static final String LOGIN = "auth-service";
    /** The entry of .local/secrets.properties that holds the SMTP password. */
    public static final String PASSWORD_ENTRY = "smtp.auth-service";
    /** Where the build puts GreenMail's self-contained jar inside this module's jar (see the pom). */
    static final String JAR_RESOURCE = "greenmail/greenmail-standalone.jar";

    /** What the JDK says, in GreenMail's log, when one of its ports is bound already. */
    private static final String PORT_TAKEN = "java.net.BindException: Address already in use";
    private static final int PORT_ATTEMPTS = 3;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Path dir;
    private final Host host;
    private final int smtpsPort;
    private final int apiPort;
    private final String password;
    private final DevCertificates.TlsFiles tls;
    private Process process;

    private LocalSmtp(Path dir, Host host, int smtpsPort, int apiPort, String password, DevCertificates.TlsFiles tls) {
        this.dir = dir;
        this.host = host;
        this.smtpsPort = smtpsPort;
        this.apiPort = apiPort;
        this.password = password;
        this.tls = tls;
    }

    /**
     * Starts GreenMail on two free ports. A port that was free when chosen can be taken before GreenMail binds it (by
     * any process's next connection or server): GreenMail then keeps running with that service missing, so a taken port
     * is recognised in its log and the server started again on two other ports, up to {@link #PORT_ATTEMPTS} times.
     */
    static LocalSmtp create(Path workDir, Host host, String password, DevCertificates.TlsFiles tls) {
        return create(workDir, host, password, tls, () -> LocalStack.freePorts(2));
    }

    /** The same with the SMTPS and API ports of each attempt from {@code ports} (a test hands out a taken one first). */
    static LocalSmtp create(Path workDir, Host host, String password, DevCertificates.TlsFiles tls, Supplier<int[]> ports) {
        for (int attempt = 1; ; attempt++) {
            int[] chosen = ports.get();
            LocalSmtp smtp = new LocalSmtp(workDir.resolve("smtp"), host, chosen[0], chosen[1], password, tls);
            try {
                smtp.start();
                return smtp;
            } catch (PortTaken e) {
                smtp.stop();
                if (attempt == PORT_ATTEMPTS) {
                    throw e;
                }
                System.out.printf("[local-stack] GreenMail: %s; again on two other ports%n", e.getMessage());
            }
        }
    }

    /** GreenMail could not bind one of its ports: another process took it after it was chosen. */
    static final class PortTaken extends IllegalStateException {
        PortTaken(String message) {
            super(message);
        }
    }

    /** Where clients connect: host and SMTPS port (TLS from the first byte). */
    public String host() {
        return host.bindAddress();
    }

    public int port() {
        return smtpsPort;
    }

    /** GreenMail's HTTP API and its OpenAPI page (a browser shows it). */
    public String apiUrl() {
        return "http://" + host.bindAddress() + ":" + apiPort;
    }

    /** The messages received for {@code address}, as JSON, in a browser: what make run prints. */
    public String mailboxUrl(String address) {
        return apiUrl() + "/api/user/" + URLEncoder.encode(address, StandardCharsets.UTF_8) + "/messages/";
    }

    /** Starts the server (again, on the same ports, after {@link #stop}); returns once it accepts TLS connections. */
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        try {
            Files.createDirectories(dir);
            LocalSecrets.PrivateFiles.restrict(dir);
            Path jar = dir.resolve("greenmail-standalone.jar");
            if (!Files.exists(jar)) {
                try (InputStream in = LocalSmtp.class.getClassLoader().getResourceAsStream(JAR_RESOURCE)) {
                    if (in == null) {
                        throw new IllegalStateException(JAR_RESOURCE + " is missing from the class path: rebuild deploy/local/stack");
                    }
                    Files.copy(in, jar);
                }
            }
            char[] storePassword = randomPassword();
            Path keyStore = keyStore(storePassword);
            // The options go through an argument file (java @file) in the run's private folder: the SMTP password and the
            // key store's are then not on a command line that any local user can read (ps).
            Path options = dir.resolve("greenmail.options");
            Files.deleteIfExists(options);
            Files.createFile(options);
            LocalSecrets.PrivateFiles.restrict(options);
            Files.write(options, List.of("-Xmx96m", "-XX:TieredStopAtLevel=1",
                    "-Dgreenmail.smtps.hostname=" + host.bindAddress(),
                    "-Dgreenmail.smtps.port=" + smtpsPort,
                    "-Dgreenmail.api.hostname=" + host.bindAddress(),
                    "-Dgreenmail.api.port=" + apiPort,
                    "-Dgreenmail.users=" + LOGIN + ":" + password + "@localhost",
                    // The stack's server certificate instead of GreenMail's built-in one (which no client should trust).
                    "-Dgreenmail.tls.keystore.file=" + keyStore,
                    "-Dgreenmail.tls.keystore.password=" + new String(storePassword),
                    "-Dgreenmail.startup.timeout=20000"));
            List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "@" + options,
                    "-jar", jar.toString());
            process = new ProcessBuilder(host.run(command)).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("greenmail.log").toFile()).start();
            Files.writeString(dir.resolve("greenmail.pid"), Long.toString(process.pid()));
            awaitReady();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the mail server (GreenMail) in " + dir, e);
        }
    }

    /** Stops the server: connections are refused until {@link #start} (messages it held are gone). */
    public synchronized void stop() {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    /** A received message: its subject, recipients as the server saw them, and its text body, decoded. */
    public record Message(String subject, String to, String text, String raw) {
    }

    /** Every message the server holds for {@code address} (none if it got none), read from its HTTP API. */
    public List<Message> messagesTo(String address) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(mailboxUrl(address)))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 400) {
                return List.of(); // GreenMail knows the user only once a message for it arrived
            }
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GreenMail answered " + response.statusCode() + " for " + address);
            }
            List<Message> messages = new ArrayList<>();
            for (JsonNode node : JSON.readTree(response.body())) {
                messages.add(MimeText.parse(node.path("mimeMessage").asText()));
            }
            return messages;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the mailbox of " + address, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The messages for {@code address} once there are at least {@code count} of them, waiting up to {@code patience}. */
    public List<Message> awaitMessages(String address, int count, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            List<Message> messages = messagesTo(address);
            if (messages.size() >= count || System.nanoTime() > deadline) {
                return messages;
            }
            sleep(100);
        }
    }

    private void awaitReady() throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Path log = dir.resolve("greenmail.log");
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("GreenMail exited with " + process.exitValue() + "; its log:\n" + tail(log));
            }
            if (answersTls() && answersApi()) {
                return;
            }
            if (Files.readString(log, StandardCharsets.UTF_8).contains(PORT_TAKEN)) {
                throw new PortTaken("port " + smtpsPort + " or " + apiPort + " was taken before GreenMail bound it");
            }
            sleep(100);
        }
        // The log goes with the run's folder when the stack stops: what it says is in the message.
        throw new IllegalStateException("GreenMail did not answer within 60 s; its log:\n" + tail(log));
    }

    /** The last lines of GreenMail's log (where it says why it did not start). */
    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    private boolean answersTls() {
        try (Socket socket = DevCertificates.trustingOnly(tls.caCert()).getSocketFactory().createSocket(host.bindAddress(), smtpsPort)) {
            ((javax.net.ssl.SSLSocket) socket).startHandshake();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private boolean answersApi() {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(apiUrl() + "/api/service/readiness")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A PKCS#12 store of the stack's server key and certificate chain, in the run's own folder, for this run only. */
    private Path keyStore(char[] storePassword) throws IOException {
        try {
            CertificateFactory x509 = CertificateFactory.getInstance("X.509");
            Certificate server;
            Certificate ca;
            try (InputStream in = Files.newInputStream(tls.serverCert())) {
                server = x509.generateCertificate(in);
            }
            try (InputStream in = Files.newInputStream(tls.caCert())) {
                ca = x509.generateCertificate(in);
            }
            String pem = Files.readString(tls.serverKey()).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", key, storePassword, new Certificate[] { server, ca });
            Path file = dir.resolve("server.p12");
            Files.deleteIfExists(file);
            Files.createFile(file);
            LocalSecrets.PrivateFiles.restrict(file);
            try (OutputStream out = Files.newOutputStream(file)) {
                store.store(out, storePassword);
            }
            return file;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot make the mail server's key store", e);
        }
    }

    private static char[] randomPassword() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).toCharArray();
    }

    /** Kills a GreenMail left behind by a process that died without stopping it. */
    static void stopAbandoned(Path workDir) {
        try {
            Path pidFile = workDir.resolve("smtp").resolve("greenmail.pid");
            if (Files.exists(pidFile)) {
                Optional<ProcessHandle> process = ProcessHandle.of(Long.parseLong(Files.readString(pidFile).strip()));
                process.filter(p -> p.info().commandLine().orElse("").contains("greenmail")).ifPresent(ProcessHandle::destroyForcibly);
            }
        } catch (IOException | NumberFormatException e) {
            // Nothing to stop.
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
