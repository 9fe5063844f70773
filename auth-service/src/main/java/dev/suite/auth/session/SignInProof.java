package dev.suite.auth.session;

import java.time.Instant;
import java.util.List;

/**
 * How and when a session's user proved who they are: the {@code amr} (RFC 8176) and {@code auth_time} of every access
 * token minted from it, kept on the session so a refresh says the same as the sign-in.
 */
public record SignInProof(List<String> amr, Instant at) {

    /** A password alone (the time is the session's start). */
    public static final SignInProof PASSWORD = new SignInProof(List.of("pwd"), null);

    /** A password, then a TOTP code: RFC 8176's "otp" and "mfa". */
    public static SignInProof passwordAndTotp(Instant at) {
        return new SignInProof(List.of("pwd", "otp", "mfa"), at);
    }

    /**
     * A password, then a recovery code: RFC 8176 registers no value for one; "mfa" (two factors were used) without
     * "otp", so a service can tell that the authenticator was not.
     */
    public static SignInProof passwordAndRecoveryCode(Instant at) {
        return new SignInProof(List.of("pwd", "mfa"), at);
    }

    /**
     * A passkey alone (a password-less sign-in): proof of possession of a key ("hwk"; also for a passkey synced by a
     * platform, which RFC 8176 has no value for) unlocked by the user on the device (user verification, required), so
     * two factors: "mfa".
     */
    public static SignInProof passkey(Instant at) {
        return new SignInProof(List.of("hwk", "user", "mfa"), at);
    }

    /** A password, then a passkey as the second step. */
    public static SignInProof passwordAndPasskey(Instant at) {
        return new SignInProof(List.of("pwd", "hwk", "mfa"), at);
    }

    String column() {
        return String.join(",", amr);
    }
}
