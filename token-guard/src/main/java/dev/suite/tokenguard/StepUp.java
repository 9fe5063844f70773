package dev.suite.tokenguard;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;

import dev.suite.problem.Problem;

/**
 * The step-up rule of {@link RecentSignIn}, for code that decides at run time (say, a second factor only when the
 * account has one): a token passes when its {@code auth_time} is within {@code maxAge} (a token that does not say
 * never passes) and, when asked, its {@code amr} has {@code mfa}. A service token never passes: no user signed in.
 */
public final class StepUp {

    /** RFC 9470's answer: the client must have its user authenticate again (here: sign in again). */
    static final String CHALLENGE = "Bearer error=\"insufficient_user_authentication\", "
            + "error_description=\"A recent sign-in is required for this action\"";

    private StepUp() {
    }

    /** Whether {@code token} shows a sign-in recent enough (and with a second factor, when asked). */
    public static boolean satisfied(VerifiedToken token, Duration maxAge, boolean secondFactor, Instant now) {
        return token != null && !token.isServiceToken() && satisfied(token.authTime(), token.amr(), maxAge, secondFactor, now);
    }

    /** The same rule for a sign-in a service knows of without its token (say, from a session it keeps). */
    public static boolean satisfied(Instant authTime, Collection<String> amr, Duration maxAge, boolean secondFactor, Instant now) {
        if (authTime == null) {
            return false;
        }
        boolean recent = !authTime.isBefore(now.minus(maxAge)) && !authTime.isAfter(now.plusSeconds(60));
        return recent && (!secondFactor || amr.contains(VerifiedToken.AMR_MULTI_FACTOR));
    }

    /** {@link #satisfied}, or a 403 problem that tells the client to sign in again. */
    public static void require(VerifiedToken token, Duration maxAge, boolean secondFactor) {
        if (!satisfied(token, maxAge, secondFactor, Instant.now())) {
            throw refusal(maxAge, secondFactor);
        }
    }

    /** {@link #satisfied(Instant, Collection, Duration, boolean, Instant)}, or the same 403 as for a token. */
    public static void require(Instant authTime, Collection<String> amr, Duration maxAge, boolean secondFactor) {
        if (!satisfied(authTime, amr, maxAge, secondFactor, Instant.now())) {
            throw refusal(maxAge, secondFactor);
        }
    }

    private static Problem refusal(Duration maxAge, boolean secondFactor) {
        return new Problem(403, "Forbidden", secondFactor
                ? "This action needs a sign-in with your second factor in the last " + maxAge.toMinutes() + " minutes: sign in again."
                : "This action needs a sign-in in the last " + maxAge.toMinutes() + " minutes: sign in again.",
                Map.of("WWW-Authenticate", CHALLENGE));
    }
}
