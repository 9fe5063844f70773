package dev.suite.auth.password;

import java.util.Optional;

/**
 * The same keys pressed without Shift (US layout): "!QAZ@WSX#EDC$RFV" is "1qaz2wsx3edc4rfv". The estimator charges
 * shifted keyboard walks as if every Shift were a free choice, but crackers try the all-shifted walk right after
 * the plain one.
 */
final class ShiftedKeys {

    private static final String SHIFTED = "~!@#$%^&*()_+{}|:\"<>?";
    private static final String PLAIN = "`1234567890-=[]\\;',./";

    private ShiftedKeys() {
    }

    /** The password typed without Shift; empty when it has no shifted key. */
    static Optional<String> unshifted(String password) {
        StringBuilder plain = new StringBuilder(password.length());
        boolean shifted = false;
        for (int i = 0; i < password.length(); i++) {
            char c = password.charAt(i);
            int at = SHIFTED.indexOf(c);
            if (at >= 0) {
                plain.append(PLAIN.charAt(at));
                shifted = true;
            } else if (c >= 'A' && c <= 'Z') {
                plain.append(Character.toLowerCase(c));
                shifted = true;
            } else {
                plain.append(c);
            }
        }
        return shifted ? Optional.of(plain.toString()) : Optional.empty();
    }
}
