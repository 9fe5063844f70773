package dev.suite.auth.token;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import org.bouncycastle.jce.ECNamedCurveTable;
import org.bouncycastle.jce.spec.ECNamedCurveParameterSpec;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.lang.JoseException;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The keys this service signs with and publishes. Each key's id is its RFC 7638 thumbprint, so every replica
 * derives the same kid from the same secret without coordination.
 */
@ApplicationScoped
public class SigningKeys {

    /** A private key and the public half verifiers see. */
    public record SigningKey(String kid, PrivateKey privateKey, PublicJsonWebKey publicJwk) {
    }

    private final SigningKey current;
    private final String jwks;

    SigningKeys(SigningConfig config) {
        this.current = load(config.key(), config.keyFile(), "auth.signing.key")
                .orElseThrow(() -> new IllegalStateException("No signing key: set auth.signing.key or auth.signing.key-file"));
        List<JsonWebKey> published = new ArrayList<>();
        published.add(current.publicJwk());
        load(config.previousKey(), config.previousKeyFile(), "auth.signing.previous-key").ifPresent(k -> published.add(k.publicJwk()));
        load(config.nextKey(), config.nextKeyFile(), "auth.signing.next-key").ifPresent(k -> published.add(k.publicJwk()));
        this.jwks = new JsonWebKeySet(published).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
    }

    public SigningKey current() {
        return current;
    }

    /** The published key set: current, previous and next public keys. */
    public String jwks() {
        return jwks;
    }

    private static Optional<SigningKey> load(Optional<String> pem, Optional<Path> file, String name) {
        Optional<String> text = pem.filter(p -> !p.isBlank()).or(() -> file.map(SigningKeys::read));
        return text.map(value -> parse(value, name));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the signing key file " + file, e);
        }
    }

    private static SigningKey parse(String pem, String name) {
        try {
            StringBuilder base64 = new StringBuilder();
            for (String line : pem.split("\\R")) {
                if (!line.startsWith("-----") && !line.isBlank()) {
                    base64.append(line.strip());
                }
            }
            KeyFactory factory = KeyFactory.getInstance("EC");
            ECPrivateKey privateKey = (ECPrivateKey) factory.generatePrivate(
                    new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64.toString())));
            PublicKey publicKey = factory.generatePublic(new ECPublicKeySpec(publicPoint(privateKey), privateKey.getParams()));
            PublicJsonWebKey jwk = PublicJsonWebKey.Factory.newPublicJwk(publicKey);
            if (!(jwk instanceof EllipticCurveJsonWebKey ec) || !"P-256".equals(ec.getCurveName())) {
                throw new IllegalStateException(name + " must be an EC P-256 key (ES256)");
            }
            String kid = jwk.calculateBase64urlEncodedThumbprint("SHA-256");
            jwk.setKeyId(kid);
            jwk.setUse("sig");
            jwk.setAlgorithm("ES256");
            return new SigningKey(kid, privateKey, jwk);
        } catch (GeneralSecurityException | JoseException | IllegalArgumentException | ClassCastException e) {
            throw new IllegalStateException(name + " is not a PKCS#8 PEM EC private key", e);
        }
    }

    /** The public point d·G of a private key (the JDK has no API for it). */
    private static ECPoint publicPoint(ECPrivateKey key) {
        ECNamedCurveParameterSpec spec = ECNamedCurveTable.getParameterSpec("secp256r1");
        org.bouncycastle.math.ec.ECPoint q = spec.getG().multiply(key.getS()).normalize();
        return new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
    }
}
