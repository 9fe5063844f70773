package dev.suite.keys;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * PEM text (RFC 7468): DER bytes in base64 between an encapsulation boundary line naming their type and a
 * matching end line. The one reader and writer of the suite's keys and certificates; JDK only.
 */
public final class Pem {

    /** The type of a PKCS#8 private key (unencrypted). */
    public static final String PRIVATE_KEY = "PRIVATE KEY";
    /** The type of an X.509 SubjectPublicKeyInfo. */
    public static final String PUBLIC_KEY = "PUBLIC KEY";
    public static final String CERTIFICATE = "CERTIFICATE";

    private static final String DASHES = "-----";
    private static final Base64.Encoder ENCODER = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));

    private Pem() {
    }

    /** The line that opens a block of {@code type}, e.g. {@code PRIVATE KEY}. */
    public static String beginLine(String type) {
        return DASHES + "BEGIN " + type + DASHES;
    }

    /** The line that closes a block of {@code type}. */
    public static String endLine(String type) {
        return DASHES + "END " + type + DASHES;
    }

    /** One block of {@code type} around {@code der}: 64 characters a line, each line ending in a newline. */
    public static String write(String type, byte[] der) {
        return beginLine(type) + "\n" + ENCODER.encodeToString(der) + "\n" + endLine(type) + "\n";
    }

    /** A private key as PKCS#8 PEM. */
    public static String write(PrivateKey key) {
        return write(PRIVATE_KEY, key.getEncoded());
    }

    /** A public key as X.509 SubjectPublicKeyInfo PEM. */
    public static String write(PublicKey key) {
        return write(PUBLIC_KEY, key.getEncoded());
    }

    public static String write(Certificate certificate) {
        try {
            return write(CERTIFICATE, certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("The certificate cannot be encoded", e);
        }
    }

    /**
     * The DER bytes of the first block of {@code type} in {@code text}; text around the block (comments, other
     * blocks) is ignored, line breaks and spaces inside it too.
     *
     * @throws IllegalArgumentException when there is no such block or its body is not base64
     */
    public static byte[] read(String text, String type) {
        String begin = beginLine(type);
        String end = endLine(type);
        int start = text == null ? -1 : text.indexOf(begin);
        int stop = start < 0 ? -1 : text.indexOf(end, start + begin.length());
        if (stop < 0) {
            throw new IllegalArgumentException("No PEM block of type " + type);
        }
        String body = text.substring(start + begin.length(), stop).replaceAll("\\s", "");
        try {
            return Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("The PEM block of type " + type + " is not base64", e);
        }
    }

    /**
     * The PKCS#8 private key of the first {@code PRIVATE KEY} block, for a {@link KeyFactory} algorithm ("EC", "RSA").
     *
     * @throws IllegalArgumentException when there is no such block or it holds no key of that algorithm
     */
    public static PrivateKey readPrivateKey(String text, String algorithm) {
        byte[] der = read(text, PRIVATE_KEY);
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("The PEM block is not a PKCS#8 " + algorithm + " private key", e);
        }
    }

    /** Whether {@code text} holds the opening line of a PEM block of any type. */
    public static boolean contains(String text) {
        return text != null && text.contains(DASHES + "BEGIN ");
    }
}
