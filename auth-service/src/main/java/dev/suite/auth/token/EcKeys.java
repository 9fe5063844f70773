package dev.suite.auth.token;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;

import org.bouncycastle.jce.ECNamedCurveTable;
import org.bouncycastle.jce.spec.ECNamedCurveParameterSpec;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.lang.JoseException;

import dev.suite.keys.Pem;

/** EC P-256 signing keys: generated, read from PKCS#8 (PEM or DER), and named by their RFC 7638 thumbprint. */
public final class EcKeys {

    private static final SecureRandom RANDOM = new SecureRandom();

    private EcKeys() {
    }

    /** A new P-256 key pair. */
    public static SigningKeys.SigningKey generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            KeyPair pair = generator.generateKeyPair();
            return withJwk(pair.getPrivate(), pair.getPublic());
        } catch (GeneralSecurityException | JoseException e) {
            throw new IllegalStateException("Cannot generate a signing key", e);
        }
    }

    /** A PKCS#8 PEM EC P-256 private key, with its public half. {@code what} names the setting in errors. */
    public static SigningKeys.SigningKey fromPem(String pem, String what) {
        try {
            return fromPkcs8(Pem.read(pem, Pem.PRIVATE_KEY));
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new IllegalStateException(what + " is not a PKCS#8 PEM EC P-256 private key", e);
        }
    }

    /** A PKCS#8 DER EC P-256 private key, with its public half. */
    public static SigningKeys.SigningKey fromPkcs8(byte[] der) {
        try {
            KeyFactory factory = KeyFactory.getInstance("EC");
            ECPrivateKey privateKey = (ECPrivateKey) factory.generatePrivate(new PKCS8EncodedKeySpec(der));
            return withJwk(privateKey, factory.generatePublic(new ECPublicKeySpec(publicPoint(privateKey), privateKey.getParams())));
        } catch (GeneralSecurityException | JoseException | ClassCastException e) {
            throw new IllegalStateException("not a PKCS#8 EC P-256 private key", e);
        }
    }

    public static PublicJsonWebKey publicJwk(String json) {
        try {
            return (PublicJsonWebKey) JsonWebKey.Factory.newJwk(json);
        } catch (JoseException | ClassCastException e) {
            throw new IllegalStateException("A public key of the ring is not a JWK", e);
        }
    }

    private static SigningKeys.SigningKey withJwk(PrivateKey privateKey, PublicKey publicKey) throws JoseException {
        PublicJsonWebKey jwk = PublicJsonWebKey.Factory.newPublicJwk(publicKey);
        if (!(jwk instanceof EllipticCurveJsonWebKey ec) || !"P-256".equals(ec.getCurveName())) {
            throw new IllegalStateException("signing keys must be EC P-256 (ES256)");
        }
        String kid = jwk.calculateBase64urlEncodedThumbprint("SHA-256");
        jwk.setKeyId(kid);
        jwk.setUse("sig");
        jwk.setAlgorithm("ES256");
        return new SigningKeys.SigningKey(kid, privateKey, jwk);
    }

    /** The public point d·G of a private key (the JDK has no API for it). */
    private static ECPoint publicPoint(ECPrivateKey key) {
        ECNamedCurveParameterSpec spec = ECNamedCurveTable.getParameterSpec("secp256r1");
        org.bouncycastle.math.ec.ECPoint q = spec.getG().multiply(key.getS()).normalize();
        return new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
    }
}
