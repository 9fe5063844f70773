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
import com.webauthn4j.util.exception.WebAuthnException;

import dev.suite.problem.Problem;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The WebAuthn ceremonies' checks, by webauthn4j (never by hand): what the browser answered is parsed, then verified
 * against the challenge it was issued, this relying party's id and its origins, with user verification required
 * (a passkey stands for two factors: the device and the PIN or biometric that unlocked it). Attestation is "none": the
 * suite trusts the key it registered, not a maker's statement about the device. No state: the callers hold it.
 */
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
        } catch (WebAuthnException | IllegalArgumentException | NullPointerException e) {
            // webauthn4j reads a JSON that lacks a part it needs as null, and fails on it: garbage either way.
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
        } catch (WebAuthnException | IllegalArgumentException | NullPointerException e) {
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
        } catch (WebAuthnException e) {
            return Optional.empty();
        }
        AuthenticatorData<?> authenticator = data.getAttestationObject().getAuthenticatorData();
        AttestedCredentialData credential = authenticator.getAttestedCredentialData();
        Set<AuthenticatorTransport> transports = data.getTransports();
        return Optional.of(new Registered(base64Url(credential.getCredentialId()), credentialData.convert(credential),
                authenticator.getSignCount(), authenticator.isFlagUV(), authenticator.isFlagBE(), authenticator.isFlagBS(),
                transports == null || transports.isEmpty() ? null
                        : transports.stream().map(AuthenticatorTransport::getValue).sorted().collect(Collectors.joining(","))));
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
        } catch (WebAuthnException e) {
            return Optional.empty();
        }
        if (!Arrays.equals(credential.getCredentialId(), data.getCredentialId())) {
            return Optional.empty();
        }
        return Optional.of(new Asserted(data.getAuthenticatorData().getSignCount(), data.getAuthenticatorData().isFlagBS()));
    }

    private ServerProperty server(byte[] challenge) {
        return ServerProperty.builder().origins(config.origins().stream().map(Origin::new).collect(Collectors.toSet())).rpId(config.relyingPartyId())
                .challenge(new DefaultChallenge(challenge)).build();
    }

    static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
