package dev.suite.auth.factor;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The options of the two WebAuthn ceremonies as the browser takes them: the JSON forms of WebAuthn Level 3
 * ({@code PublicKeyCredential.parseCreationOptionsFromJSON} / {@code parseRequestOptionsFromJSON}), byte fields in
 * base64url.
 */
public final class PasskeyOptions {

    private PasskeyOptions() {
    }

    /** PublicKeyCredentialCreationOptionsJSON: a discoverable credential, verified user, no attestation. */
    public record Creation(String challenge, RelyingParty rp, User user, List<Algorithm> pubKeyCredParams, long timeout,
            List<Credential> excludeCredentials, Selection authenticatorSelection, String attestation) {
    }

    /** PublicKeyCredentialRequestOptionsJSON: {@code allowCredentials} empty lets the user pick any of theirs. */
    public record Request(String challenge, String rpId, long timeout, String userVerification, List<Credential> allowCredentials) {
    }

    public record RelyingParty(String id, String name) {
    }

    public record User(String id, String name, String displayName) {
    }

    public record Algorithm(String type, long alg) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Credential(String type, String id, List<String> transports) {
        static Credential of(Passkey passkey) {
            return new Credential("public-key", passkey.credentialId,
                    passkey.transports == null ? null : List.of(passkey.transports.split(",")));
        }
    }

    public record Selection(String residentKey, boolean requireResidentKey, String userVerification) {
    }
}
