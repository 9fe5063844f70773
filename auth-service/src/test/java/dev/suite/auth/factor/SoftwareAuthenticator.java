package dev.suite.auth.factor;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

import com.webauthn4j.converter.AttestationObjectConverter;
import com.webauthn4j.converter.AuthenticatorDataConverter;
import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.data.attestation.AttestationObject;
import com.webauthn4j.data.attestation.authenticator.AAGUID;
import com.webauthn4j.data.attestation.authenticator.AttestedCredentialData;
import com.webauthn4j.data.attestation.authenticator.AuthenticatorData;
import com.webauthn4j.data.attestation.authenticator.EC2COSEKey;
import com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier;
import com.webauthn4j.data.attestation.statement.NoneAttestationStatement;

import io.vertx.core.json.JsonObject;

/**
 * A passkey authenticator in the test, as a browser and a platform authenticator answer together: one ES256 key pair,
 * a signature counter, the client data a browser writes for an origin. It signs what it is asked to, as a real one
 * does for whatever page asks; the tests play the browser's part too (the origin it writes) to show what the
 * service refuses. Chromium's virtual authenticator plays this part in the browser tests.
 */
final class SoftwareAuthenticator {

    static final String ORIGIN = "https://localhost:8443";
    static final String RP_ID = "localhost";

    private static final ObjectConverter CONVERTER = new ObjectConverter();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final KeyPair keys;
    private final byte[] credentialId = new byte[32];
    private long counter;
    /** Whether the user unlocked the key (a PIN or biometric): the UV flag. */
    boolean userVerified = true;
    /** The origin the "browser" writes into the client data. */
    String origin = ORIGIN;
    /** The relying party id the authenticator signs for. */
    String rpId = RP_ID;

    SoftwareAuthenticator() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            keys = generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        RANDOM.nextBytes(credentialId);
    }

    String credentialId() {
        return b64(credentialId);
    }

    /** navigator.credentials.create()'s answer, as its toJSON(), to options with {@code challenge}. */
    JsonObject register(String challenge) {
        byte[] clientData = clientData("webauthn.create", challenge);
        AttestedCredentialData credential = new AttestedCredentialData(AAGUID.ZERO, credentialId,
                EC2COSEKey.create((ECPublicKey) keys.getPublic(), COSEAlgorithmIdentifier.ES256));
        AuthenticatorData<?> data = new AuthenticatorData<>(sha256(rpId.getBytes(StandardCharsets.UTF_8)),
                (byte) (flags() | AuthenticatorData.BIT_AT), counter, credential);
        @SuppressWarnings({"unchecked", "rawtypes"})
        AttestationObject attestation = new AttestationObject((AuthenticatorData) data, new NoneAttestationStatement());
        return credentialJson(new JsonObject()
                .put("clientDataJSON", b64(clientData))
                .put("attestationObject", b64(new AttestationObjectConverter(CONVERTER).convertToBytes(attestation)))
                .put("transports", new io.vertx.core.json.JsonArray().add("internal")));
    }

    /** navigator.credentials.get()'s answer, as its toJSON(), to options with {@code challenge}; the counter moves on. */
    JsonObject sign(String challenge) {
        counter++;
        return signWithCounter(challenge, counter);
    }

    /** An answer made with a given counter value, as a copy of this key that lives its own life would make it. */
    JsonObject signWithCounter(String challenge, long signCount) {
        byte[] clientData = clientData("webauthn.get", challenge);
        byte[] authenticatorData = new AuthenticatorDataConverter(CONVERTER).convert(
                new AuthenticatorData<>(sha256(rpId.getBytes(StandardCharsets.UTF_8)), flags(), signCount));
        byte[] signature;
        try {
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(keys.getPrivate());
            signer.update(ByteBuffer.allocate(authenticatorData.length + 32).put(authenticatorData).put(sha256(clientData)).array());
            signature = signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return credentialJson(new JsonObject()
                .put("clientDataJSON", b64(clientData))
                .put("authenticatorData", b64(authenticatorData))
                .put("signature", b64(signature)));
    }

    private JsonObject credentialJson(JsonObject response) {
        return new JsonObject().put("id", b64(credentialId)).put("rawId", b64(credentialId)).put("type", "public-key")
                .put("response", response).put("clientExtensionResults", new JsonObject()).put("authenticatorAttachment", "platform");
    }

    private byte flags() {
        return (byte) (AuthenticatorData.BIT_UP | (userVerified ? AuthenticatorData.BIT_UV : 0));
    }

    private byte[] clientData(String type, String challenge) {
        return new JsonObject().put("type", type).put("challenge", challenge).put("origin", origin).put("crossOrigin", false)
                .encode().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
