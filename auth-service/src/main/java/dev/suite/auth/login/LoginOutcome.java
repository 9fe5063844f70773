package dev.suite.auth.login;

import java.time.Instant;

import dev.suite.auth.session.IssuedTokens;

/** What a right password leads to: a session, or (for an account with a second factor) the challenge for the second step. */
public sealed interface LoginOutcome {

    record SignedIn(IssuedTokens tokens) implements LoginOutcome {
    }

    /**
     * 202 to the client: {@code POST /login/second-factor} with this challenge and a code completes the sign-in.
     * {@code secondFactorRequired} is always true: the field the SPA (and the gateway) tell this answer by.
     */
    record SecondFactorRequired(boolean secondFactorRequired, String challenge, Instant challengeExpiresAt) implements LoginOutcome {
        @Override
        public String toString() {
            return "SecondFactorRequired[expiresAt=" + challengeExpiresAt + "]"; // never the challenge
        }
    }
}
