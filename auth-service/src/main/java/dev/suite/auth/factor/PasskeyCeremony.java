package dev.suite.auth.factor;

import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import com.webauthn4j.WebAuthnManager;
import com.webauthn4j.converter.AttestedCredentialDataConverter;
import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.credential.CredentialRecordImpl;
import com.webauthn4j.data.AuthenticationData;
import com.webauthn4j.data.AuthenticationParameters;
import com.webauthn4j.data.AuthenticatorTransport;
import com.webauthn4j.data.PublicKeyCredentialParameters;
import com.webauthn4j.data.PublicKeyCredentialType;
import com.webauthn4j.data.RegistrationData;
import com.webauthn4j.data.RegistrationParameters;
import com.webauthn4j.data.attestation.authenticator.AttestedCredentialData;
import com.webauthn4j.data.attestation.authenticator.AuthenticatorData;
import com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier;
import com.webauthn4j.data.client.Origin;
import com.webauthn4j.data.client.challenge.DefaultChallenge;
import com.webauthn4j.server.ServerProperty;

import dev.suite.problem.Problem;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The WebAuthn ceremonies' checks, by webauthn4j (never by hand): what the browser answered is parsed, then verified
 * against the challenge it was issued, this relying party's id and its origins, with user verification required
 * (a passkey stands for two factors: the device and the PIN or biometric that unlocked it). Attestation is "none": the
 * suite trusts the key it registered, not a maker's statement about the device. No state: the callers hold it.
 */
// Made at start, not at the first ceremony: webauthn4j's Jackson 3 mappers load hundreds of classes, which would stall
// the event loop of the first request that needs them.
@Startup
@ApplicationScoped
public class PasskeyCeremony {

    static final String REFUSED = "The passkey was not accepted.";

    /** ES256, EdDSA (Ed25519) and RS256, in the order the browser should prefer them. */
    static final List<COSEAlgorithmIdentifier> ALGORITHMS = List.of(COSEAlgorithmIdentifier.ES256, COSEAlgorithmIdentifier.EdDSA,
            COSEAlgorithmIdentifier.RS256);

    /** What registration keeps of a new passkey. */
    public record Registered(String credentialId, byte[] attestedCredentialData, long signCount, boolean userVerified,
            boolean backupEligible, boolean backupState, String transports) {
    }

    /** What a verified assertion changes on its passkey. */
    public record Asserted(long signCount, boolean backupState) {
    }

    private final WebAuthnManager manager = WebAuthnManager.createNonStrictWebAuthnManager();
    private final AttestedCredentialDataConverter credentialData = new AttestedCredentialDataConverter(new ObjectConverter());
    private final PasskeyConfig config;

    PasskeyCeremony(PasskeyConfig config) {
        this.config = config;
    }

    /** The browser's answer to navigator.credentials.create(), parsed; 400 when it is no such answer. */
    public RegistrationData parseRegistration(String json) {
        try {
            RegistrationData data = manager.parseRegistrationResponseJSON(json);
            if (data.getCollectedClientData() == null || data.getAttestationObject() == null) {
                throw Problem.badRequest("credential is not a passkey registration.");
            }
            return data;
        } catch (Problem e) {
            throw e;
        } catch (RuntimeException e) {
            // Anything webauthn4j's parsing throws (its own exceptions, Jackson 3's, a null where a part is missing, a
            // nesting too deep) means what was sent is no answer of a browser: 400, never a 500 (review of issue 22).
            throw Problem.badRequest("credential is not a passkey registration.");
        }
    }

    /** The browser's answer to navigator.credentials.get(), parsed; 400 when it is no such answer. */
    public AuthenticationData parseAssertion(String json) {
        try {
            AuthenticationData data = manager.parseAuthenticationResponseJSON(json);
            if (data.getCollectedClientData() == null || data.getCredentialId() == null || data.getAuthenticatorData() == null) {
                throw Problem.badRequest("passkey is not a passkey sign-in.");
            }
            return data;
        } catch (Problem e) {
            throw e;
        } catch (RuntimeException e) {
            throw Problem.badRequest("passkey is not a passkey sign-in.");
        }
    }

    public static byte[] challengeOf(RegistrationData data) {
        return data.getCollectedClientData().getChallenge().getValue();
    }

    public static byte[] challengeOf(AuthenticationData data) {
        return data.getCollectedClientData().getChallenge().getValue();
    }

    public static String credentialIdOf(AuthenticationData data) {
        return base64Url(data.getCredentialId());
    }

    /** Verifies a registration against the challenge issued for it; empty when it does not hold. */
    public Optional<Registered> verify(RegistrationData data, byte[] challenge) {
        List<PublicKeyCredentialParameters> accepted = ALGORITHMS.stream()
                .map(alg -> new PublicKeyCredentialParameters(PublicKeyCredentialType.PUBLIC_KEY, alg)).toList();
        try {
            manager.verify(data, new RegistrationParameters(server(challenge), accepted, true, true));
        } catch (RuntimeException e) { // a failed check (WebAuthnException) or a malformed part met while checking
            return Optional.empty();
        }
        AuthenticatorData<?> authenticator = data.getAttestationObject().getAuthenticatorData();
        AttestedCredentialData credential = authenticator.getAttestedCredentialData();
        int idLength = credential.getCredentialId().length;
        if (idLength < 16 || idLength > 1023) { // WebAuthn's bounds, and the table's
            return Optional.empty();
        }
        return Optional.of(new Registered(base64Url(credential.getCredentialId()), credentialData.convert(credential),
                authenticator.getSignCount(), authenticator.isFlagUV(), authenticator.isFlagBE(), authenticator.isFlagBS(),
                knownTransports(data.getTransports())));
    }

    /**
     * Verifies an assertion by {@code passkey} against the challenge issued for it: signature, origin, relying party,
     * user presence and verification, and a signature counter that moved forward (one that did not betrays a copy of
     * the key). Empty when any of it does not hold.
     */
    public Optional<Asserted> verify(AuthenticationData data, byte[] challenge, Passkey passkey) {
        AttestedCredentialData credential = credentialData.convert(passkey.attestedCredentialData);
        CredentialRecordImpl record = new CredentialRecordImpl(null, passkey.userVerified, passkey.backupEligible, passkey.backupState,
                passkey.signCount, credential, null, null, null, null);
        try {
            manager.verify(data, new AuthenticationParameters(server(challenge), record, List.of(credential.getCredentialId()), true, true));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        if (!Arrays.equals(credential.getCredentialId(), data.getCredentialId())
                || data.getUserHandle() != null && !base64Url(data.getUserHandle()).equals(Passkeys.userHandle(passkey.accountId))) {
            return Optional.empty();
        }
        return Optional.of(new Asserted(data.getAuthenticatorData().getSignCount(), data.getAuthenticatorData().isFlagBS()));
    }

    /** WebAuthn's transports, as the browser reported them: only the known values, each once (the rest is noise). */
    static String knownTransports(Set<AuthenticatorTransport> reported) {
        if (reported == null) {
            return null;
        }
        Set<String> known = Set.of("usb", "nfc", "ble", "smart-card", "hybrid", "internal");
        String kept = reported.stream().map(AuthenticatorTransport::getValue).filter(known::contains).distinct().sorted()
                .collect(Collectors.joining(","));
        return kept.isEmpty() ? null : kept;
    }

    private ServerProperty server(byte[] challenge) {
        return ServerProperty.builder().origins(config.origins().stream().map(Origin::new).collect(Collectors.toSet())).rpId(config.relyingPartyId())
                .challenge(new DefaultChallenge(challenge)).build();
    }

    static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
