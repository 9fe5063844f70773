package dev.suite.auth.password;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import org.bouncycastle.crypto.generators.SCrypt;

/** scrypt as a PHC string: {@code $scrypt$ln=17,r=8,p=1$<salt>$<hash>}. */
final class ScryptHasher implements PasswordHasher {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();

    private final int logN;
    private final int r;
    private final int p;

    ScryptHasher(int logN, int r, int p) {
        this.logN = logN;
        this.r = r;
        this.p = p;
    }

    @Override
    public String hash(byte[] secret) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return "$scrypt$" + parameters() + "$" + B64.encodeToString(salt) + "$"
                + B64.encodeToString(SCrypt.generate(secret, salt, 1 << logN, r, p, 32));
    }

    @Override
    public boolean verify(byte[] secret, String encoded) {
        String[] parts = encoded.split("\\$");
        if (parts.length != 5) {
            return false;
        }
        int storedLogN = 0;
        int storedR = 0;
        int storedP = 0;
        for (String parameter : parts[2].split(",")) {
            String[] kv = parameter.split("=");
            int value = Integer.parseInt(kv[1]);
            switch (kv[0]) {
                case "ln" -> storedLogN = value;
                case "r" -> storedR = value;
                case "p" -> storedP = value;
                default -> {
                    return false;
                }
            }
        }
        byte[] salt = Base64.getDecoder().decode(parts[3]);
        byte[] expected = Base64.getDecoder().decode(parts[4]);
        byte[] actual = SCrypt.generate(secret, salt, 1 << storedLogN, storedR, storedP, expected.length);
        return MessageDigest.isEqual(expected, actual);
    }

    @Override
    public boolean reads(String encoded) {
        return encoded.startsWith("$scrypt$");
    }

    @Override
    public boolean isCurrent(String encoded) {
        return encoded.startsWith("$scrypt$" + parameters() + "$");
    }

    private String parameters() {
        return "ln=" + logN + ",r=" + r + ",p=" + p;
    }
}
