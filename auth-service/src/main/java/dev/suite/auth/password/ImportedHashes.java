package dev.suite.auth.password;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Password hashes another system made (an import from Keycloak), kept as they came until the owner's next sign-in
 * replaces them with the suite's own ({@link PasswordHashing} answers "needs rehash" for every one that matches).
 * Stored form: {@code $imp1} then the format's own self-describing string; they hash the password's raw UTF-8
 * bytes (no pre-hash, no pepper), as the system that made them did.
 *
 * <p>Formats: PBKDF2 with HMAC-SHA1/SHA256/SHA512 ({@code $pbkdf2-sha256$i=<n>$<salt>$<hash>}, any output length,
 * through the JDK's PBKDF2WithHmacSHA*, the code Keycloak itself runs), argon2id and argon2i (PHC strings, Bouncy
 * Castle, as Keycloak) and bcrypt ($2a$/$2b$/$2y$, Bouncy Castle). Elytron's PBKDF2 (its SCRAM passwords) is not
 * used: it normalises the password to NFKC first, so a password Keycloak hashed as typed (full-width letters,
 * decomposed accents) would never verify, and it derives one block only (Keycloak's pbkdf2 keeps 64 bytes).
 *
 * <p>Every parameter is bounded, when a hash is imported and again when one is verified, so that a crafted export
 * cannot make a sign-in burn the hashing pool: the largest work allowed is that of Keycloak's dearest default
 * (pbkdf2 with SHA-1, 1,300,000 iterations).
 */
public final class ImportedHashes {

    public static final String PREFIX = "$imp1";

    public static final int MAX_PBKDF2_ITERATIONS = 1_300_000;
    public static final int MAX_ARGON2_MEMORY_KIB = 65_536;
    public static final int MAX_ARGON2_ITERATIONS = 10;
    public static final int MAX_ARGON2_PARALLELISM = 4;
    public static final int MAX_BCRYPT_COST = 14;
    private static final int MIN_BYTES = 8;
    private static final int MAX_BYTES = 64;

    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODER = Base64.getDecoder();

    private ImportedHashes() {
    }

    /** A hash that cannot be imported as given; the message says why, in words for the admin's report. */
    public static final class Refused extends RuntimeException {
        public Refused(String reason) {
            super(reason, null, false, false);
        }
    }

    /** PBKDF2 with {@code prf} (sha1, sha256 or sha512): the stored form, or {@link Refused}. */
    public static String pbkdf2(String prf, int iterations, byte[] salt, byte[] hash) {
        String jdkName = pbkdf2Algorithm(prf);
        if (jdkName == null) {
            throw new Refused("PBKDF2 with " + prf + " is not supported (sha1, sha256, sha512 are)");
        }
        if (iterations < 1 || iterations > MAX_PBKDF2_ITERATIONS) {
            throw new Refused("PBKDF2 iterations must be between 1 and " + MAX_PBKDF2_ITERATIONS);
        }
        requireLength("salt", salt);
        requireLength("hash", hash);
        return PREFIX + "$pbkdf2-" + prf + "$i=" + iterations + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
    }

    /** argon2 of {@code type} (id or i) and {@code version} (0x13 or 0x10): the stored form, or {@link Refused}. */
    public static String argon2(String type, int version, int memoryKib, int iterations, int parallelism, byte[] salt, byte[] hash) {
        if (!"id".equals(type) && !"i".equals(type)) {
            throw new Refused("argon2 type " + type + " is not supported (id and i are)");
        }
        if (version != Argon2Parameters.ARGON2_VERSION_13 && version != Argon2Parameters.ARGON2_VERSION_10) {
            throw new Refused("argon2 version " + version + " is not supported (1.3 and 1.0 are)");
        }
        if (memoryKib < 8 * parallelism || memoryKib > MAX_ARGON2_MEMORY_KIB) {
            throw new Refused("argon2 memory must be between 8 KiB per lane and " + MAX_ARGON2_MEMORY_KIB + " KiB");
        }
        if (iterations < 1 || iterations > MAX_ARGON2_ITERATIONS) {
            throw new Refused("argon2 iterations must be between 1 and " + MAX_ARGON2_ITERATIONS);
        }
        if (parallelism < 1 || parallelism > MAX_ARGON2_PARALLELISM) {
            throw new Refused("argon2 parallelism must be between 1 and " + MAX_ARGON2_PARALLELISM);
        }
        requireLength("salt", salt);
        requireLength("hash", hash);
        return PREFIX + "$argon2" + type + "$v=" + version + "$m=" + memoryKib + ",t=" + iterations + ",p=" + parallelism + "$"
                + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
    }

    /** A bcrypt string in modular crypt format ($2a$, $2b$ or $2y$): the stored form, or {@link Refused}. */
    public static String bcrypt(String modularCrypt) {
        if (modularCrypt == null || !modularCrypt.matches("\\$2[aby]\\$\\d\\d\\$[./A-Za-z0-9]{53}")) {
            throw new Refused("bcrypt hash is not in modular crypt format ($2a$, $2b$ or $2y$, 60 characters)");
        }
        int cost = Integer.parseInt(modularCrypt.substring(4, 6));
        if (cost < 4 || cost > MAX_BCRYPT_COST) {
            throw new Refused("bcrypt cost must be between 4 and " + MAX_BCRYPT_COST);
        }
        return PREFIX + modularCrypt;
    }

    static boolean isImported(String stored) {
        return stored.startsWith(PREFIX + "$");
    }

    /**
     * Whether {@code password} is the one {@code stored} was made from. A stored string this class would not have
     * written (unknown format, parameters out of bounds, bad encoding) never matches.
     */
    static boolean verify(String password, String stored) {
        String encoded = stored.substring(PREFIX.length());
        try {
            if (encoded.startsWith("$pbkdf2-")) {
                return verifyPbkdf2(password, encoded);
            }
            if (encoded.startsWith("$argon2")) {
                return verifyArgon2(password, encoded);
            }
            if (encoded.startsWith("$2")) {
                // Re-checked: the cost bound holds for whatever is in the database, not only for what an import wrote.
                return bcrypt(encoded).equals(stored) && OpenBSDBCrypt.checkPassword(encoded, password.toCharArray());
            }
            return false;
        } catch (Refused | IllegalArgumentException | GeneralSecurityException | ArrayIndexOutOfBoundsException e) {
            // IllegalArgumentException: bad base64, a number that is none, a bcrypt password over 72 bytes.
            return false;
        }
    }

    private static boolean verifyPbkdf2(String password, String encoded) throws GeneralSecurityException {
        String[] parts = encoded.split("\\$");
        if (parts.length != 5 || !parts[2].startsWith("i=")) {
            return false;
        }
        String prf = parts[1].substring("pbkdf2-".length());
        int iterations = Integer.parseInt(parts[2].substring(2));
        byte[] salt = B64_DECODER.decode(parts[3]);
        byte[] expected = B64_DECODER.decode(parts[4]);
        pbkdf2(prf, iterations, salt, expected);
        PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, expected.length * 8);
        try {
            byte[] actual = SecretKeyFactory.getInstance(pbkdf2Algorithm(prf)).generateSecret(spec).getEncoded();
            return MessageDigest.isEqual(expected, actual);
        } finally {
            spec.clearPassword();
        }
    }

    private static boolean verifyArgon2(String password, String encoded) {
        String[] parts = encoded.split("\\$");
        if (parts.length != 6 || !parts[2].startsWith("v=")) {
            return false;
        }
        String type = parts[1].substring("argon2".length());
        int version = Integer.parseInt(parts[2].substring(2));
        int m = -1;
        int t = -1;
        int p = -1;
        for (String parameter : parts[3].split(",")) {
            String[] kv = parameter.split("=", 2);
            int value = Integer.parseInt(kv[1]);
            switch (kv[0]) {
                case "m" -> m = value;
                case "t" -> t = value;
                case "p" -> p = value;
                default -> {
                    return false;
                }
            }
        }
        byte[] salt = B64_DECODER.decode(parts[4]);
        byte[] expected = B64_DECODER.decode(parts[5]);
        argon2(type, version, m, t, p, salt, expected);
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder("id".equals(type) ? Argon2Parameters.ARGON2_id : Argon2Parameters.ARGON2_i)
                .withVersion(version).withMemoryAsKB(m).withIterations(t).withParallelism(p).withSalt(salt).build());
        byte[] actual = new byte[expected.length];
        generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), actual);
        return MessageDigest.isEqual(expected, actual);
    }

    private static String pbkdf2Algorithm(String prf) {
        return switch (prf == null ? "" : prf) {
            case "sha1" -> "PBKDF2WithHmacSHA1";
            case "sha256" -> "PBKDF2WithHmacSHA256";
            case "sha512" -> "PBKDF2WithHmacSHA512";
            default -> null;
        };
    }

    private static void requireLength(String what, byte[] bytes) {
        if (bytes == null || bytes.length < MIN_BYTES || bytes.length > MAX_BYTES) {
            throw new Refused(what + " must be between " + MIN_BYTES + " and " + MAX_BYTES + " bytes");
        }
    }
}
