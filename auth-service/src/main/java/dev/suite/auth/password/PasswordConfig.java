package dev.suite.auth.password;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Password rules and hashing parameters (NIST SP 800-63B-4, OWASP ASVS 5.0 6.2, OWASP cheat sheet costs). */
@ConfigMapping(prefix = "auth.password")
public interface PasswordConfig {

    String DEFAULT_MIN_ENTROPY_BITS = "35";

    @WithDefault("15")
    int minLength();

    /** Every character up to this many counts (at least 64 must be allowed). */
    @WithDefault("128")
    int maxLength();

    /**
     * The guesses a new password must cost, as log2 (bits) of the estimator's guess count. 35 bits is about 3.4e10
     * guesses (nbvcxz's own default minimum): at bcrypt cost 12, a few months of one GPU per account offline, and out
     * of reach online. It also leaves a margin on both sides of what we measured: the repeats, sequences, keyboard
     * walks and padded common passwords an attacker tries first score at most ~26 bits, while three or four
     * unrelated words score 40 to 60.
     */
    @WithDefault(DEFAULT_MIN_ENTROPY_BITS)
    double minEntropyBits();

    /** New hashes use this; stored hashes of another algorithm or cost are upgraded at the next login. */
    @WithDefault("bcrypt")
    Algorithm algorithm();

    /** No default here: auth.password.bcrypt-cost in application.properties is its one home (make bench reads it there). */
    int bcryptCost();

    Scrypt scrypt();

    Argon2 argon2();

    /** Optional HMAC key mixed into every hash; kept in the secrets source, never in the database. */
    Optional<String> pepper();

    /** Names the pepper inside each hash, so a hash made without it (or with an older one) is recognised. */
    @WithDefault("p1")
    String pepperId();

    Pool pool();

    enum Algorithm {
        BCRYPT, SCRYPT, ARGON2ID
    }

    interface Scrypt {
        /** log2 of N; 17 is OWASP's N=2^17. */
        @WithDefault("17")
        int logN();

        @WithDefault("8")
        int r();

        @WithDefault("1")
        int p();
    }

    interface Argon2 {
        @WithDefault("19456")
        int memoryKib();

        @WithDefault("2")
        int iterations();

        @WithDefault("1")
        int parallelism();
    }

    interface Pool {
        /** Hashing threads; by default one per core, so hashing uses the machine and nothing more. */
        Optional<Integer> threads();

        /** Hashes waiting beyond this are refused with 503 + Retry-After instead of queuing without bound. */
        @WithDefault("64")
        int queue();

        /**
         * Hashes one account, device or session may have queued or running at once on this replica: a small share,
         * so that nobody's guesses can fill the pool that everybody's logins need (answered with 429 beyond it).
         */
        @WithDefault("2")
        int perAccount();

        /** Hashes one client address may have queued or running at once; by default a quarter of threads + queue. */
        Optional<Integer> perClient();
    }
}
