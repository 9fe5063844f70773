package dev.suite.auth.password;

import java.util.Locale;
import java.util.Optional;

/**
 * The longest run of a unit repeated back to back ("monkey-monkey-monkey", "Password1Password1"), case ignored.
 * The estimator charges every copy of a dictionary word in full, so repeating a common password makes it look
 * strong; a guesser pays for the unit once and for the count. {@link #folded()} keeps one copy of the unit.
 */
record RepeatedRun(String folded, int copies) {

    /** Runs that drop fewer characters than this change nothing worth a second estimate. */
    private static final int MIN_DROPPED = 4;

    /** The password with its longest repeated run folded to one copy; empty when nothing repeats enough. */
    static Optional<RepeatedRun> in(String password) {
        char[] lower = password.toLowerCase(Locale.ROOT).toCharArray();
        int n = lower.length;
        int bestStart = 0;
        int bestPeriod = 0;
        int bestDropped = 0;
        for (int period = 1; period <= n / 2; period++) {
            int run = 0;
            for (int i = 0; i + period < n; i++) {
                run = lower[i] == lower[i + period] ? run + 1 : 0;
                // lower[start .. i + period] is `period`-periodic: one unit plus `run` repeated characters.
                if (run >= period && run > bestDropped) {
                    bestDropped = run;
                    bestPeriod = period;
                    bestStart = i + 1 - run;
                }
            }
        }
        if (bestDropped < MIN_DROPPED) {
            return Optional.empty();
        }
        String folded = password.substring(0, bestStart + bestPeriod) + password.substring(bestStart + bestPeriod + bestDropped);
        int copies = (bestDropped + bestPeriod + bestPeriod - 1) / bestPeriod;
        return Optional.of(new RepeatedRun(folded, copies));
    }
}
