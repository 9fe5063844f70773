package dev.suite.auth.password;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA1Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.bouncycastle.crypto.generators.PKCS5S2ParametersGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * Hashes made at test time the way Keycloak makes them (its defaults: 16-byte salts; pbkdf2-sha256 32 bytes,
 * pbkdf2-sha512 and pbkdf2 (SHA-1) 64 bytes; argon2id m=7168 t=5 p=1, 32 bytes), each by another implementation
 * than the one the suite verifies with where there is one: PBKDF2 by Bouncy Castle's PKCS5S2 (the suite verifies with
 * the JDK's), argon2 through Bouncy Castle's char[] entry point (as Keycloak calls it), bcrypt as the community
 * providers store it. Nothing here is committed as a vector: every salt is random.
 */
public final class KeycloakStyleHashes {

    private static final SecureRandom RANDOM = new SecureRandom();

    public record Hash(byte[] salt, byte[] value) {
    }

    private KeycloakStyleHashes() {
    }

    public static byte[] salt() {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return salt;
    }

    /** {@code prf}: sha1, sha256 or sha512; {@code length} in bytes. */
    public static Hash pbkdf2(String prf, String password, int iterations, int length) {
        Digest digest = switch (prf) {
            case "sha1" -> new SHA1Digest();
            case "sha256" -> new SHA256Digest();
            case "sha512" -> new SHA512Digest();
            default -> throw new IllegalArgumentException(prf);
        };
        byte[] salt = salt();
        PKCS5S2ParametersGenerator generator = new PKCS5S2ParametersGenerator(digest);
        generator.init(password.getBytes(StandardCharsets.UTF_8), salt, iterations);
        return new Hash(salt, ((KeyParameter) generator.generateDerivedParameters(length * 8)).getKey());
    }

    public static Hash argon2(int type, String password, int memoryKib, int iterations, int parallelism, int length) {
        byte[] salt = salt();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(type).withVersion(Argon2Parameters.ARGON2_VERSION_13).withMemoryAsKB(memoryKib)
                .withIterations(iterations).withParallelism(parallelism).withSalt(salt).build());
        byte[] out = new byte[length];
        generator.generateBytes(password.toCharArray(), out);
        return new Hash(salt, out);
    }

    public static String bcrypt(String password, int cost) {
        return OpenBSDBCrypt.generate("2a", password.toCharArray(), salt(), cost);
    }
}
