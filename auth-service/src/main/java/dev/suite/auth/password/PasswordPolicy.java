package dev.suite.auth.password;

import java.util.Locale;

import dev.suite.auth.account.EmailAddress;
import dev.suite.problem.Problem;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What a new password must be: long enough, not too long, not a common or breached one, not built from the
 * account's own email or name. No composition rules (NIST SP 800-63B-4). Answers say what to fix, never echo it.
 */
@ApplicationScoped
public class PasswordPolicy {

    /** Names and local parts shorter than this are too common as substrings to refuse on. */
    private static final int MIN_PERSONAL_LENGTH = 4;

    private final PasswordConfig config;
    private final CommonPasswords common;

    PasswordPolicy(PasswordConfig config, CommonPasswords common) {
        if (config.maxLength() < 64 || config.minLength() < 8 || config.minLength() > config.maxLength()) {
            throw new IllegalStateException("auth.password lengths must satisfy 8 <= min <= max and max >= 64");
        }
        this.config = config;
        this.common = common;
    }

    /** Throws a 400 problem naming the rule the password breaks. */
    public void check(String password, String normalisedEmail, String displayName) {
        if (password == null || password.isEmpty()) {
            throw Problem.badRequest("password is required.");
        }
        int length = password.codePointCount(0, password.length());
        if (length < config.minLength()) {
            throw Problem.badRequest("password must be at least " + config.minLength() + " characters long.");
        }
        if (length > config.maxLength()) {
            throw Problem.badRequest("password must be at most " + config.maxLength() + " characters long.");
        }
        if (common.contains(password)) {
            throw Problem.badRequest("password is too common: it appears in lists of breached passwords.");
        }
        String lower = password.toLowerCase(Locale.ROOT);
        if (normalisedEmail != null && containsPersonal(lower, EmailAddress.localPart(normalisedEmail))) {
            throw Problem.badRequest("password must not contain your email address.");
        }
        if (displayName != null && containsPersonal(lower, displayName.strip().toLowerCase(Locale.ROOT))) {
            throw Problem.badRequest("password must not contain your display name.");
        }
    }

    public int maxLength() {
        return config.maxLength();
    }

    private static boolean containsPersonal(String password, String personal) {
        return personal.length() >= MIN_PERSONAL_LENGTH && password.contains(personal);
    }
}
