package dev.suite.auth.token;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.bouncycastle.jce.ECNamedCurveTable;
import org.bouncycastle.jce.spec.ECNamedCurveParameterSpec;
import org.jboss.logging.Logger;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.lang.JoseException;

import dev.suite.problem.Problem;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The signing key ring, shared by all replicas through the {@code signing_key} table: the next key (published
 * before it signs anything), the current key (signs) and the previous key (published until its tokens have
 * expired). Each kid is the key's RFC 7638 thumbprint. Rotation, by the admin endpoint or when the current key
 * reaches its maximum age, is one transaction under an advisory lock, so concurrent replicas cannot fork the
 * ring; every replica re-reads the ring within {@code reload-interval}.
 */
@ApplicationScoped
public class SigningKeys {

    private static final Logger LOG = Logger.getLogger(SigningKeys.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long RING_LOCK = 0x5157_4b45_5952_494eL;

    /** A private key and the public half verifiers see. */
    public record SigningKey(String kid, PrivateKey privateKey, PublicJsonWebKey publicJwk) {
    }

    /** The ring as last read: what signs, what is published, and when it was read. */
    private record Ring(SigningKey current, String nextKid, Instant currentSince, String jwks, long readAt) {
    }

    private final SigningConfig config;
    private final Pool database;
    private final SigningKey seed;
    private final SecretKeySpec ringKey;
    private final AtomicBoolean reloading = new AtomicBoolean();
    private volatile Ring ring;

    SigningKeys(SigningConfig config, Pool database) {
        this.config = config;
        this.database = database;
        this.seed = parse(config.key().filter(p -> !p.isBlank()).or(() -> config.keyFile().map(SigningKeys::read))
                .orElseThrow(() -> new IllegalStateException("No signing key: set auth.signing.key or auth.signing.key-file")));
        this.ringKey = derive("suite-key-ring-v1", seed.privateKey());
    }

    /** Reads (and on first start, creates) the ring before the first request. */
    void onStart(@Observes StartupEvent event) {
        reload().await().atMost(Duration.ofSeconds(30));
    }

    /** The secret every replica shares from the secrets source; stable across rotations. */
    public SigningKey seed() {
        return seed;
    }

    public SigningKey current() {
        return fresh().current();
    }

    /** The published key set: next, current and previous public keys. */
    public String jwks() {
        return fresh().jwks();
    }

    /** Promotes next to current (current to previous, previous retired) and publishes a new next key. */
    public Uni<String[]> rotate(boolean scheduled) {
        return database.withTransaction(tx -> lockRing(tx)
                .chain(() -> tx.query("SELECT kid, state, created_at, activated_at FROM signing_key WHERE state <> 'retired'").execute())
                .chain(rows -> {
                    Row next = null;
                    Row current = null;
                    for (Row row : rows) {
                        if ("next".equals(row.getString("state"))) {
                            next = row;
                        } else if ("current".equals(row.getString("state"))) {
                            current = row;
                        }
                    }
                    if (next == null) {
                        return Uni.createFrom().failure(new IllegalStateException("the key ring has no next key"));
                    }
                    if (scheduled && current != null && current.getOffsetDateTime("activated_at").toInstant()
                            .plus(config.maxKeyAge()).isAfter(Instant.now())) {
                        return Uni.createFrom().item(new String[] { current.getString("kid"), next.getString("kid") });
                    }
                    Instant publishedSince = next.getOffsetDateTime("created_at").toInstant();
                    if (publishedSince.plus(config.minPrePublication()).isAfter(Instant.now())) {
                        return Uni.createFrom().failure(new Problem(409, "Conflict", "The next key was published less than "
                                + config.minPrePublication() + " ago; verifiers may not know it yet. Try again later."));
                    }
                    String promoted = next.getString("kid");
                    return tx.query("UPDATE signing_key SET state = 'retired' WHERE state = 'previous'").execute()
                            .chain(() -> tx.query("UPDATE signing_key SET state = 'previous' WHERE state = 'current'").execute())
                            .chain(() -> tx.preparedQuery("UPDATE signing_key SET state = 'current', activated_at = now() WHERE kid = $1")
                                    .execute(Tuple.of(promoted)))
                            .chain(() -> insertNew(tx, "next"))
                            .map(newNext -> new String[] { promoted, newNext });
                })).call(ignored -> reload());
    }

    private Ring fresh() {
        Ring known = ring;
        if (known == null) {
            throw Problem.unavailable("The signing keys are not loaded yet.");
        }
        if (System.nanoTime() - known.readAt() > config.reloadInterval().toNanos() && reloading.compareAndSet(false, true)) {
            reload().subscribe().with(ignored -> reloading.set(false), failure -> {
                reloading.set(false);
                LOG.warnf("Cannot re-read the signing key ring (%s); keeping the keys held", failure.getMessage());
            });
        }
        return known;
    }

    private Uni<Void> reload() {
        return database.query("SELECT kid, private_key, public_jwk, state, activated_at FROM signing_key WHERE state <> 'retired'")
                .execute().chain(rows -> {
                    if (rows.size() == 0) {
                        return seedRing().chain(this::reload);
                    }
                    SigningKey current = null;
                    Instant currentSince = null;
                    String nextKid = null;
                    List<JsonWebKey> published = new ArrayList<>();
                    for (Row row : rows) {
                        PublicJsonWebKey jwk = publicJwk(row.getString("public_jwk"));
                        switch (row.getString("state")) {
                            case "current" -> {
                                current = new SigningKey(row.getString("kid"), decrypt(row.getBuffer("private_key").getBytes()), jwk);
                                currentSince = row.getOffsetDateTime("activated_at").toInstant();
                                published.add(0, jwk);
                            }
                            case "next" -> {
                                nextKid = row.getString("kid");
                                published.add(jwk);
                            }
                            default -> published.add(jwk);
                        }
                    }
                    if (current == null) {
                        return Uni.createFrom().failure(new IllegalStateException("the key ring has no current key"));
                    }
                    ring = new Ring(current, nextKid, currentSince, new JsonWebKeySet(published).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY),
                            System.nanoTime());
                    if (currentSince.plus(config.maxKeyAge()).isBefore(Instant.now())) {
                        return rotate(true).replaceWithVoid()
                                .onFailure().invoke(e -> LOG.warnf("Scheduled key rotation not done: %s", e.getMessage()))
                                .onFailure().recoverWithNull().replaceWithVoid();
                    }
                    return Uni.createFrom().voidItem();
                });
    }

    /** First start: the seed becomes the current key and a next key is published. Once, whatever the replicas. */
    private Uni<Void> seedRing() {
        return database.withTransaction(tx -> lockRing(tx)
                .chain(() -> tx.query("SELECT count(*) FROM signing_key").execute())
                .chain(count -> count.iterator().next().getLong(0) > 0 ? Uni.createFrom().voidItem()
                        : tx.preparedQuery("INSERT INTO signing_key (kid, private_key, public_jwk, state, created_at, activated_at) "
                                + "VALUES ($1, $2, $3, 'current', now(), now())")
                                .execute(Tuple.of(seed.kid(), io.vertx.core.buffer.Buffer.buffer(encrypt(seed.privateKey())),
                                        seed.publicJwk().toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY)))
                                .chain(() -> insertNew(tx, "next")).replaceWithVoid()));
    }

    private Uni<String> insertNew(SqlConnection tx, String state) {
        SigningKey key = generate();
        return tx.preparedQuery("INSERT INTO signing_key (kid, private_key, public_jwk, state, created_at) VALUES ($1, $2, $3, $4, $5)")
                .execute(Tuple.of(key.kid(), io.vertx.core.buffer.Buffer.buffer(encrypt(key.privateKey())),
                        key.publicJwk().toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY), state, OffsetDateTime.now()))
                .map(ignored -> key.kid());
    }

    private static Uni<Void> lockRing(SqlConnection tx) {
        return tx.query("SELECT pg_advisory_xact_lock(" + RING_LOCK + ")").execute().replaceWithVoid();
    }

    private static SigningKey generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            KeyPair pair = generator.generateKeyPair();
            return withJwk(pair.getPrivate(), pair.getPublic());
        } catch (GeneralSecurityException | JoseException e) {
            throw new IllegalStateException("Cannot generate a signing key", e);
        }
    }

    private byte[] encrypt(PrivateKey key) {
        try {
            byte[] iv = new byte[12];
            RANDOM.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, ringKey, new GCMParameterSpec(128, iv));
            byte[] sealed = cipher.doFinal(key.getEncoded());
            byte[] out = new byte[iv.length + sealed.length];
            System.arraycopy(iv, 0, out, 0, iv.length);
            System.arraycopy(sealed, 0, out, iv.length, sealed.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private PrivateKey decrypt(byte[] stored) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, ringKey, new GCMParameterSpec(128, stored, 0, 12));
            byte[] pkcs8 = cipher.doFinal(stored, 12, stored.length - 12);
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("A key of the ring cannot be decrypted: was the seed key replaced?", e);
        }
    }

    private static SecretKeySpec derive(String label, PrivateKey key) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(label.getBytes(StandardCharsets.UTF_8));
            digest.update(key.getEncoded());
            return new SecretKeySpec(digest.digest(), "AES");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static PublicJsonWebKey publicJwk(String json) {
        try {
            return (PublicJsonWebKey) JsonWebKey.Factory.newJwk(json);
        } catch (JoseException e) {
            throw new IllegalStateException("A public key of the ring is not a JWK", e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the signing key file " + file, e);
        }
    }

    private static SigningKey parse(String pem) {
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
            return withJwk(privateKey, factory.generatePublic(new ECPublicKeySpec(publicPoint(privateKey), privateKey.getParams())));
        } catch (GeneralSecurityException | JoseException | IllegalArgumentException | ClassCastException e) {
            throw new IllegalStateException("auth.signing.key is not a PKCS#8 PEM EC P-256 private key", e);
        }
    }

    private static SigningKey withJwk(PrivateKey privateKey, PublicKey publicKey) throws JoseException {
        PublicJsonWebKey jwk = PublicJsonWebKey.Factory.newPublicJwk(publicKey);
        if (!(jwk instanceof EllipticCurveJsonWebKey ec) || !"P-256".equals(ec.getCurveName())) {
            throw new IllegalStateException("signing keys must be EC P-256 (ES256)");
        }
        String kid = jwk.calculateBase64urlEncodedThumbprint("SHA-256");
        jwk.setKeyId(kid);
        jwk.setUse("sig");
        jwk.setAlgorithm("ES256");
        return new SigningKey(kid, privateKey, jwk);
    }

    /** The public point d·G of a private key (the JDK has no API for it). */
    private static ECPoint publicPoint(ECPrivateKey key) {
        ECNamedCurveParameterSpec spec = ECNamedCurveTable.getParameterSpec("secp256r1");
        org.bouncycastle.math.ec.ECPoint q = spec.getG().multiply(key.getS()).normalize();
        return new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
    }
}
