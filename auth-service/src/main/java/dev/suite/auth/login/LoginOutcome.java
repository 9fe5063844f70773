package dev.suite.auth.login;

import java.time.Instant;

import dev.suite.auth.session.IssuedTokens;

/** What a right password leads to: a session, or (for an account with a second factor) the challenge for the second step. */
public sealed interface LoginOutcome {

    record SignedIn(IssuedTokens tokens) implements LoginOutcome {
    }

    /**
     * 202 to the client: {@code POST /login/second-factor} with this challenge and a code completes the sign-in.
     * {@code secondFactorRequired} is always true: the field the SPA (and the gateway) tell this answer by. {@code passkey}:
     * the account has a passkey, so the SPA can offer it (POST /login/passkey/options with this challenge).
     */
    record SecondFactorRequired(boolean secondFactorRequired, String challenge, Instant challengeExpiresAt, boolean passkey)
            implements LoginOutcome {
        @Override
        public String toString() {
            return "SecondFactorRequired[expiresAt=" + challengeExpiresAt + "]"; // never the challenge
        }
    }
}
