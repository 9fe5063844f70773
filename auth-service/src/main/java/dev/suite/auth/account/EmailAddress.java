package dev.suite.auth.account;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

import dev.suite.problem.Problem;

/** An email address in the one form accounts are keyed by: trimmed, Unicode NFC, lower-case. */
public final class EmailAddress {

    // Deliberately simple: one @, something on each side, a dot in the domain, no spaces or controls.
    private static final Pattern SHAPE = Pattern.compile("^[^@\\s\\p{Cntrl}]{1,64}@[^@\\s\\p{Cntrl}]+\\.[^@\\s\\p{Cntrl}]+$");
    private static final int MAX_LENGTH = 254;
    /** Room for surrounding blanks and for decomposed characters that NFC composes. */
    private static final int MAX_RAW_LENGTH = 4 * MAX_LENGTH;

    private EmailAddress() {
    }

    /** The normalised address, or a 400 problem when it cannot be one. */
    public static String normalise(String raw) {
        if (raw == null) {
            throw Problem.badRequest("email is required.");
        }
        // Bounded before it is transformed: normalisation is linear, but nothing long enough to need it is an address.
        if (raw.length() > MAX_RAW_LENGTH) {
            throw Problem.badRequest("email is not a valid address.");
        }
        // Lower-casing the local part too: nobody expects Alice@ and alice@ to be two accounts.
        String email = Normalizer.normalize(raw.strip(), Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
        if (email.length() > MAX_LENGTH || !SHAPE.matcher(email).matches()) {
            throw Problem.badRequest("email is not a valid address.");
        }
        return email;
    }

    public static String localPart(String normalisedEmail) {
        return normalisedEmail.substring(0, normalisedEmail.indexOf('@'));
    }
}
