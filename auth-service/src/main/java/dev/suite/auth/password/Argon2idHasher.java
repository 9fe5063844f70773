package dev.suite.auth.password;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/** argon2id as a PHC string: {@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>}. */
final class Argon2idHasher implements PasswordHasher {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();

    private final int memoryKib;
    private final int iterations;
    private final int parallelism;

    Argon2idHasher(int memoryKib, int iterations, int parallelism) {
        this.memoryKib = memoryKib;
        this.iterations = iterations;
        this.parallelism = parallelism;
    }

    @Override
    public String hash(byte[] secret) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        byte[] hash = derive(secret, salt, memoryKib, iterations, parallelism, 32);
        return "$argon2id$v=19$" + parameters() + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
    }

    @Override
    public boolean verify(byte[] secret, String encoded) {
        String[] parts = encoded.split("\\$");
        if (parts.length != 6 || !"v=19".equals(parts[2])) {
            return false;
        }
        int m = 0;
        int t = 0;
        int p = 0;
        for (String parameter : parts[3].split(",")) {
            String[] kv = parameter.split("=");
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
        byte[] salt = Base64.getDecoder().decode(parts[4]);
        byte[] expected = Base64.getDecoder().decode(parts[5]);
        return MessageDigest.isEqual(expected, derive(secret, salt, m, t, p, expected.length));
    }

    @Override
    public boolean reads(String encoded) {
        return encoded.startsWith("$argon2id$");
    }

    @Override
    public boolean isCurrent(String encoded) {
        return encoded.startsWith("$argon2id$v=19$" + parameters() + "$");
    }

    private String parameters() {
        return "m=" + memoryKib + ",t=" + iterations + ",p=" + parallelism;
    }

    private static byte[] derive(byte[] secret, byte[] salt, int memoryKib, int iterations, int parallelism, int length) {
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id).withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memoryKib).withIterations(iterations).withParallelism(parallelism).withSalt(salt).build());
        byte[] out = new byte[length];
        generator.generateBytes(secret, out);
        return out;
    }
}
