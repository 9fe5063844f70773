package dev.suite.auth.password;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import dev.suite.auth.account.EmailAddress;
import dev.suite.problem.Problem;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What a new password must be: long enough, not too long, not a common or breached one, not built from the
 * account's own email or name, and not what a guesser tries first (repeats, sequences, keyboard walks, padded
 * common passwords, famous phrases). No composition rules (NIST SP 800-63B-4). Answers say what to fix, never
 * echo it.
 */
@ApplicationScoped
public class PasswordPolicy {

    /** Names and local parts shorter than this are too common as substrings to refuse on. */
    private static final int MIN_PERSONAL_LENGTH = 4;
    /** Shorter words of a name or email are left to the estimator's own dictionaries. */
    private static final int MIN_PERSONAL_WORD = 3;

    private final PasswordConfig config;
    private final CommonPasswords common;
    private final KnownPhrases phrases;
    private final GuessEstimator estimator;
    private final HashingPool pool;

    PasswordPolicy(PasswordConfig config, CommonPasswords common, KnownPhrases phrases, GuessEstimator estimator,
            HashingPool pool) {
        if (config.maxLength() < 64 || config.minLength() < 8 || config.minLength() > config.maxLength()) {
            throw new IllegalStateException("auth.password lengths must satisfy 8 <= min <= max and max >= 64");
        }
        this.config = config;
        this.common = common;
        this.phrases = phrases;
        this.estimator = estimator;
        this.pool = pool;
    }

    /**
     * Fails with a 400 problem naming the rule the password breaks. The cheap rules run here; the guess estimate
     * (milliseconds of CPU) runs on the hashing pool, whose bounded queue also caps a flood of registrations, within
     * the share of the pool of {@code owners} (the client, the session), like hashing.
     */
    public Uni<Void> check(String password, String normalisedEmail, String displayName, List<String> owners) {
        Optional<Problem> broken = brokenCheapRule(password, normalisedEmail, displayName);
        if (broken.isPresent()) {
            return Uni.createFrom().failure(broken.get());
        }
        Set<String> personal = personalWords(normalisedEmail, displayName);
        return pool.run(owners, () -> estimator.estimate(password, personal)).chain(estimate -> estimate.bits() >= config.minEntropyBits()
                ? Uni.createFrom().voidItem()
                : Uni.createFrom().failure(tooEasy(estimate.weakness())));
    }

    public int maxLength() {
        return config.maxLength();
    }

    /** The first cheap rule the password breaks, as the problem to answer. */
    private Optional<Problem> brokenCheapRule(String password, String normalisedEmail, String displayName) {
        if (password == null || password.isEmpty()) {
            return Optional.of(Problem.badRequest("password is required."));
        }
        int length = password.codePointCount(0, password.length());
        if (length < config.minLength()) {
            return Optional.of(Problem.badRequest("password must be at least " + config.minLength() + " characters long."));
        }
        if (length > config.maxLength()) {
            return Optional.of(Problem.badRequest("password must be at most " + config.maxLength() + " characters long."));
        }
        if (common.contains(password)) {
            return Optional.of(Problem.badRequest("password is too common: it appears in lists of breached passwords."));
        }
        String lower = password.toLowerCase(Locale.ROOT);
        if (normalisedEmail != null && containsPersonal(lower, EmailAddress.localPart(normalisedEmail))) {
            return Optional.of(Problem.badRequest("password must not contain your email address."));
        }
        if (displayName != null && containsPersonal(lower, displayName.strip().toLowerCase(Locale.ROOT))) {
            return Optional.of(Problem.badRequest("password must not contain your display name."));
        }
        if (phrases.matches(password)) {
            return Optional.of(tooEasy("it is a well-known phrase"));
        }
        return Optional.empty();
    }

    private static Problem tooEasy(String weakness) {
        return Problem.badRequest("password is too easy to guess: " + weakness + "; add a few more unrelated words.");
    }

    private static boolean containsPersonal(String password, String personal) {
        return personal.length() >= MIN_PERSONAL_LENGTH && password.contains(personal);
    }

    /** The local part, the name, and each word of them: what a targeted guesser tries for this account. */
    static Set<String> personalWords(String normalisedEmail, String displayName) {
        Set<String> words = new LinkedHashSet<>();
        for (String source : new String[] {
                normalisedEmail == null ? null : EmailAddress.localPart(normalisedEmail), displayName }) {
            if (source == null) {
                continue;
            }
            String lower = source.strip().toLowerCase(Locale.ROOT);
            words.add(lower);
            words.addAll(List.of(lower.split("[^\\p{L}\\p{N}]+")));
        }
        // Excluding "me" or "al" would discount those letters in every passphrase that happens to contain them.
        words.removeIf(word -> word.length() < MIN_PERSONAL_WORD);
        return words;
    }
}
