package dev.suite.auth.token;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.util.List;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The ring's private keys are stored sealed (AES-256-GCM, a fresh IV each) under a key derived from the seed;
 * never in clear. A sealed key names the seed that sealed it, so that while a seed is being replaced both can
 * open what they sealed and anything still under the previous seed can be re-sealed under the new one.
 */
@ApplicationScoped
public class RingSealing {

    private static final String LABEL = "suite-key-ring-v1";
    private static final SecureRandom RANDOM = new SecureRandom();
    /** The ring's own keys are sealed without associated data (as before there were other secrets). */
    private static final String NO_CONTEXT = "";

    /** A private key as stored, and the id of the seed that sealed it. */
    public record Sealed(byte[] bytes, String sealedBy) {
    }

    private final List<SeedKeys.Derived> keys;

    RingSealing(SeedKeys seeds) {
        this.keys = seeds.accepted(LABEL);
    }

    /** The id of the seed new seals are made with. */
    public String currentSeedId() {
        return keys.get(0).seedId();
    }

    public Sealed seal(PrivateKey key) {
        return seal(key.getEncoded(), NO_CONTEXT);
    }

    /**
     * Any other server-side secret (a TOTP secret), sealed the same way. {@code context} (say, the owner's account id)
     * is bound to the seal as associated data: a sealed value copied to another row does not open there.
     */
    public Sealed seal(byte[] secret, String context) {
        try {
            byte[] iv = new byte[12];
            RANDOM.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(keys.get(0).key(), "AES"), new GCMParameterSpec(128, iv));
            if (!context.isEmpty()) {
                cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            }
            byte[] sealed = cipher.doFinal(secret);
            byte[] out = new byte[iv.length + sealed.length];
            System.arraycopy(iv, 0, out, 0, iv.length);
            System.arraycopy(sealed, 0, out, iv.length, sealed.length);
            return new Sealed(out, currentSeedId());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Opens a sealed key with the seed that sealed it (any accepted seed when that is not recorded). */
    public PrivateKey open(Sealed sealed) {
        return EcKeys.fromPkcs8(open(sealed, NO_CONTEXT)).privateKey();
    }

    /** Opens what {@link #seal(byte[], String)} sealed under the same {@code context}. */
    public byte[] open(Sealed sealed, String context) {
        for (SeedKeys.Derived key : keys) {
            if (sealed.sealedBy() == null || sealed.sealedBy().equals(key.seedId())) {
                try {
                    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
                    cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key.key(), "AES"), new GCMParameterSpec(128, sealed.bytes(), 0, 12));
                    if (!context.isEmpty()) {
                        cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
                    }
                    return cipher.doFinal(sealed.bytes(), 12, sealed.bytes().length - 12);
                } catch (GeneralSecurityException e) {
                    // Not this seed's: try the next one.
                }
            }
        }
        throw new IllegalStateException("A sealed secret cannot be opened with the configured seed(s) (auth.signing.key, "
                + "auth.signing.previous-key): was the seed replaced without keeping the previous one until it was re-sealed?");
    }
}
