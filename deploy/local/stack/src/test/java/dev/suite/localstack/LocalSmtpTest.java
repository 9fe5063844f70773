package dev.suite.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stack's mail server as the auth service meets it: SMTP over TLS with the suite CA's certificate for its address,
 * the auth service's login checked, and what it accepted readable from its HTTP API.
 */
class LocalSmtpTest {

    private final LocalStack stack = LocalStack.shared();
    private final LocalSmtp smtp = stack.smtp();

    @Test
    void aMessageSentOverTlsWithTheServicesLoginIsReadBackFromTheApi() throws IOException {
        String to = "reader-" + UUID.randomUUID() + "@example.com";
        try (Dialogue smtp = Dialogue.open(this.smtp, stack.secrets().tls().caCert())) {
            smtp.expect("220");
            smtp.send("EHLO test.local", "250");
            smtp.send("AUTH PLAIN " + plain(LocalSmtp.LOGIN, stack.secrets().secret(LocalSmtp.PASSWORD_ENTRY)), "235");
            smtp.send("MAIL FROM:<no-reply@suite.test>", "250");
            smtp.send("RCPT TO:<" + to + ">", "250");
            smtp.send("DATA", "354");
            smtp.send("Subject: =?UTF-8?Q?R=C3=A9initialiser?=\r\nTo: " + to + "\r\nContent-Type: text/plain; charset=UTF-8\r\n"
                    + "Content-Transfer-Encoding: quoted-printable\r\n\r\nla cl=C3=A9: abc=\r\ndef\r\n.", "250");
        }
        List<LocalSmtp.Message> messages = smtp.awaitMessages(to, 1, Duration.ofSeconds(10));
        assertThat(messages).hasSize(1);
        assertThat(messages.get(0).subject()).isEqualTo("Réinitialiser");
        assertThat(messages.get(0).text()).contains("la clé: abcdef");
    }

    @Test
    void aWrongPasswordIsRefused() throws IOException {
        try (Dialogue smtp = Dialogue.open(this.smtp, stack.secrets().tls().caCert())) {
            smtp.expect("220");
            smtp.send("EHLO test.local", "250");
            smtp.send("AUTH PLAIN " + plain(LocalSmtp.LOGIN, "not-" + stack.secrets().secret(LocalSmtp.PASSWORD_ENTRY)), "535");
        }
    }

    @Test
    void aClientThatTrustsAnotherCaRefusesTheServer() throws Exception {
        java.nio.file.Path otherCa = java.nio.file.Files.createTempFile("other-ca", ".crt");
        try {
            DevCertificates.writePem(otherCa, DevCertificates.newCa("Not the suite").certificate());
            assertThatThrownBy(() -> Dialogue.open(smtp, otherCa).close()).isInstanceOf(SSLHandshakeException.class);
        } finally {
            java.nio.file.Files.deleteIfExists(otherCa);
        }
    }

    /** Nothing is said in the clear: a plain TCP client gets no SMTP greeting, only TLS it cannot read. */
    @Test
    void thereIsNoPlaintextSmtp() throws IOException {
        try (Socket plain = new Socket(smtp.host(), smtp.port())) {
            plain.setSoTimeout(2000);
            plain.getOutputStream().write("EHLO test.local\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] reply = new byte[3];
            int read;
            try {
                read = plain.getInputStream().read(reply);
            } catch (SocketTimeoutException | java.net.SocketException e) {
                read = -1;
            }
            assertThat(read <= 0 || !new String(reply, 0, read, StandardCharsets.US_ASCII).startsWith("2")).isTrue();
        }
    }

    /**
     * The race every chosen port has: another process binds it between the choice and GreenMail's start. GreenMail then
     * runs on without that service (it does not exit), so the stack waited its full minute and failed a whole test
     * class (token-guard's SilentConnectionTest in a CI rehearsal). Now it starts again on two other ports.
     */
    @Test
    void aPortTakenBeforeGreenMailBindsItMeansTwoOtherPorts(@TempDir Path dir) throws IOException {
        try (ServerSocket squatter = new ServerSocket(0, 50, InetAddress.getByName(Host.LOOPBACK.bindAddress()))) {
            AtomicInteger attempts = new AtomicInteger();
            Supplier<int[]> ports = () -> attempts.getAndIncrement() == 0
                    ? new int[] { LocalStack.freePort(), squatter.getLocalPort() }
                    : LocalStack.freePorts(2);
            long started = System.nanoTime();
            LocalSmtp another = LocalSmtp.create(dir, Host.LOOPBACK, "a-password-for-this-test-only", stack.secrets().tls(), ports);
            try {
                assertThat(attempts).hasValue(2);
                assertThat(another.apiUrl()).doesNotEndWith(":" + squatter.getLocalPort());
                assertThat(another.messagesTo("nobody-" + UUID.randomUUID() + "@example.com")).isEmpty();
                assertThat(Duration.ofNanos(System.nanoTime() - started)).as("the taken port is seen in the log, not after 60 s")
                        .isLessThan(Duration.ofSeconds(45));
            } finally {
                another.stop();
            }
        }
    }

    @Test
    void freePortsAreDifferentFromEachOther() {
        for (int i = 0; i < 50; i++) {
            int[] ports = LocalStack.freePorts(3);
            assertThat(ports).doesNotHaveDuplicates();
        }
    }

    private static String plain(String login, String password) {
        return Base64.getEncoder().encodeToString(("\0" + login + "\0" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** A line-by-line SMTP conversation over TLS that trusts {@code ca} only and checks the host name. */
    private record Dialogue(SSLSocket socket, BufferedReader in, OutputStream out) implements AutoCloseable {

        static Dialogue open(LocalSmtp smtp, java.nio.file.Path ca) throws IOException {
            SSLSocket socket = (SSLSocket) DevCertificates.trustingOnly(ca).getSocketFactory().createSocket(smtp.host(), smtp.port());
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            return new Dialogue(socket, new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)),
                    socket.getOutputStream());
        }

        void send(String line, String expected) throws IOException {
            out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            expect(expected);
        }

        /** Reads one reply (its continuation lines too) and checks its code. */
        void expect(String code) throws IOException {
            String line;
            do {
                line = in.readLine();
                assertThat(line).as("reply of the mail server").isNotNull();
            } while (line.length() > 3 && line.charAt(3) == '-');
            assertThat(line).startsWith(code);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
