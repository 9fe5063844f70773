package dev.suite.auth.password;

/**
 * One hashing algorithm over the pre-hashed secret (see {@link PasswordHashing}). Implementations produce and
 * read self-describing strings: bcrypt's modular crypt format, PHC strings for scrypt and argon2id.
 */
interface PasswordHasher {

    String hash(byte[] secret);

    boolean verify(byte[] secret, String encoded);

    /** True when this hasher reads the encoded string. */
    boolean reads(String encoded);

    /** True when the encoded hash was made with this hasher's current parameters. */
    boolean isCurrent(String encoded);
}
