package dev.suite.auth.token;

import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jboss.logging.Logger;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;

import dev.suite.problem.Problem;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The signing key ring as this replica holds it: the next key (published before it signs anything), the current
 * key (signs) and the previous key (published until its tokens have expired). Each kid is the key's RFC 7638
 * thumbprint. Rotation (by an admin or when the current key reaches its maximum age) and withdrawal (a key that
 * leaked) change the shared ring in {@link KeyRingStore}; every replica re-reads it within {@code reload-interval}.
 */
@ApplicationScoped
public class SigningKeys {

    private static final Logger LOG = Logger.getLogger(SigningKeys.class);

    /** A private key and the public half verifiers see. */
    public record SigningKey(String kid, PrivateKey privateKey, PublicJsonWebKey publicJwk) {
    }

    /** What a rotation left: the key that signs now and the one published to sign next. */
    public record Rotation(String current, String next) {
    }

    /** What a withdrawal did: the key, the state it had, since when it signed tokens (null: never), and the ring after. */
    public record Withdrawal(String kid, KeyState was, Instant signedSince, Rotation ring) {
    }

    /** The ring as last read: what signs, what is published, and when it was read. */
    private record Ring(SigningKey current, long readAt) {
    }

    private final SigningConfig config;
    private final KeyRingStore store;
    private final RingSealing sealing;
    private final SeedKeys seeds;
    private final AtomicBoolean reloading = new AtomicBoolean();
    private volatile Ring ring;

    SigningKeys(SigningConfig config, KeyRingStore store, RingSealing sealing, SeedKeys seeds) {
        this.config = config;
        this.store = store;
        this.sealing = sealing;
        this.seeds = seeds;
    }

    /** Re-seals what a previous seed sealed, then reads (on first start: creates) the ring, before the first request. */
    void onStart(@Observes StartupEvent event) {
        Uni<Void> reseal = seeds.hasPrevious() ? reseal() : Uni.createFrom().voidItem();
        reseal.chain(this::reload).await().atMost(Duration.ofSeconds(30));
    }

    public SigningKey current() {
        return fresh().current();
    }

    /**
     * The published key set (next, current and previous public keys) as the shared ring has it now, not as this
     * replica last read it: a key withdrawn on another replica is never served again from here.
     */
    public Uni<String> publishedJwks() {
        return store.published().map(SigningKeys::jwksOf);
    }

    /** Every key of the ring, withdrawn and retired ones too, for the admin's view. */
    public Uni<List<KeyRingStore.StoredKey>> all() {
        return store.all();
    }

    public String sealingSeedId() {
        return sealing.currentSeedId();
    }

    /** Promotes next to current (current to previous, previous retired) and publishes a new next key. */
    public Uni<Rotation> rotate(boolean scheduled) {
        return store.changing(tx -> store.all(tx).chain(keys -> {
            KeyRingStore.StoredKey next = find(keys, KeyState.NEXT);
            KeyRingStore.StoredKey current = find(keys, KeyState.CURRENT);
            if (next == null) {
                return Uni.createFrom().failure(new IllegalStateException("the key ring has no next key"));
            }
            if (scheduled && current != null && current.activatedAt().plus(config.maxKeyAge()).isAfter(Instant.now())) {
                return Uni.createFrom().item(new Rotation(current.kid(), next.kid()));
            }
            if (next.createdAt().plus(config.minPrePublication()).isAfter(Instant.now())) {
                return Uni.createFrom().failure(new Problem(409, "Conflict", "The next key was published less than "
                        + config.minPrePublication() + " ago; verifiers may not know it yet. Try again later."));
            }
            return promote(tx, next.kid());
        })).call(ignored -> reload());
    }

    /**
     * Withdraws a compromised key from the ring at once: never published or used again. A current key is replaced
     * by the next one at once (an emergency skips the pre-publication wait: verifiers fetch an unknown kid on
     * sight); a withdrawn next key is replaced by a new one.
     */
    public Uni<Withdrawal> withdraw(String kid) {
        return store.changing(tx -> store.all(tx).chain(keys -> {
            KeyRingStore.StoredKey key = keys.stream().filter(k -> k.kid().equals(kid)).findFirst().orElse(null);
            if (key == null) {
                return Uni.createFrom().failure(new Problem(404, "Not Found", "No key of the ring has this kid."));
            }
            return withdrawInRing(tx, keys, key).map(ring -> new Withdrawal(kid, key.state(), key.activatedAt(), ring));
        })).call(ignored -> reload());
    }

    /** Withdraws one key inside a ring change; a key already withdrawn stays as it is (asking again revokes again). */
    private Uni<Rotation> withdrawInRing(SqlConnection tx, List<KeyRingStore.StoredKey> keys, KeyRingStore.StoredKey key) {
        KeyRingStore.StoredKey next = find(keys, KeyState.NEXT);
        KeyRingStore.StoredKey current = find(keys, KeyState.CURRENT);
        return switch (key.state()) {
            // The previous key stays published: the tokens it signed were not signed by the leaked key.
            case CURRENT -> store.withdraw(tx, key.kid()).chain(() -> store.activate(tx, next.kid())).chain(() -> insertNext(tx))
                    .map(newNext -> new Rotation(next.kid(), newNext));
            case NEXT -> store.withdraw(tx, key.kid()).chain(() -> insertNext(tx)).map(newNext -> new Rotation(current.kid(), newNext));
            case WITHDRAWN -> Uni.createFrom().item(new Rotation(current.kid(), next.kid()));
            default -> store.withdraw(tx, key.kid()).replaceWith(new Rotation(current.kid(), next.kid()));
        };
    }

    private Uni<Rotation> promote(SqlConnection tx, String next) {
        return store.move(tx, KeyState.PREVIOUS, KeyState.RETIRED)
                .chain(() -> store.move(tx, KeyState.CURRENT, KeyState.PREVIOUS))
                .chain(() -> store.activate(tx, next))
                .chain(() -> insertNext(tx))
                .map(newNext -> new Rotation(next, newNext));
    }

    private Uni<String> insertNext(SqlConnection tx) {
        SigningKey key = EcKeys.generate();
        return store.insert(tx, key, KeyState.NEXT, sealing.seal(key.privateKey())).replaceWith(key.kid());
    }

    /**
     * Seals again, under the current seed, every key a previous seed sealed: after this, that seed opens nothing. The
     * previous seed itself, if the ring still holds it as a key (the ring's first current key), leaked with it: it is
     * withdrawn here at once (the runbook then revokes its sessions with the withdrawal endpoint).
     */
    private Uni<Void> reseal() {
        return store.changing(tx -> store.all(tx).chain(keys -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            int count = 0;
            for (KeyRingStore.StoredKey key : keys) {
                if (key.kid().equals(seeds.previousSeedId()) && key.state() != KeyState.WITHDRAWN) {
                    LOG.warnf("Withdrawing key %s: it is the previous seed. Revoke its sessions: POST /admin/keys/%s/withdrawal",
                            key.kid(), key.kid());
                    chain = chain.chain(() -> withdrawInRing(tx, keys, key).replaceWithVoid());
                }
                if (!sealing.currentSeedId().equals(key.sealed().sealedBy())) {
                    count++;
                    chain = chain.chain(() -> store.reseal(tx, key.kid(), sealing.seal(sealing.open(key.sealed()))));
                }
            }
            int resealed = count;
            return chain.invoke(() -> LOG.infof("Re-sealed %d key(s) of the ring under the current seed", resealed));
        }));
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
        return store.published().chain(keys -> {
            if (keys.isEmpty()) {
                return createRing().chain(this::reload);
            }
            KeyRingStore.StoredKey current = find(keys, KeyState.CURRENT);
            if (current == null) {
                return Uni.createFrom().failure(new IllegalStateException("the key ring has no current key"));
            }
            SigningKey signing = new SigningKey(current.kid(), sealing.open(current.sealed()), EcKeys.publicJwk(current.publicJwk()));
            ring = new Ring(signing, System.nanoTime());
            if (current.activatedAt().plus(config.maxKeyAge()).isBefore(Instant.now())) {
                return rotate(true).replaceWithVoid()
                        .onFailure().invoke(e -> LOG.warnf("Scheduled key rotation not done: %s", e.getMessage()))
                        .onFailure().recoverWithNull().replaceWithVoid();
            }
            return Uni.createFrom().voidItem();
        });
    }

    /**
     * First start: the seed becomes the current key and a next key is published, once, whatever the replicas. So the
     * seed is a signing key until the first rotation, and a leaked seed is a leaked key too: a re-key withdraws it
     * ({@link #reseal}), and the runbook revokes its sessions.
     */
    private Uni<Void> createRing() {
        SigningKey seed = seeds.seed();
        return store.changing(tx -> store.all(tx).chain(keys -> !keys.isEmpty() ? Uni.createFrom().voidItem()
                : store.insert(tx, seed, KeyState.CURRENT, sealing.seal(seed.privateKey())).chain(() -> insertNext(tx)).replaceWithVoid()));
    }

    /** The current key first (verifiers that take the first key get the signing one), then the others. */
    private static String jwksOf(List<KeyRingStore.StoredKey> keys) {
        List<JsonWebKey> published = new ArrayList<>();
        keys.stream().filter(k -> k.state() == KeyState.CURRENT).forEach(k -> published.add(EcKeys.publicJwk(k.publicJwk())));
        keys.stream().filter(k -> k.state() != KeyState.CURRENT).forEach(k -> published.add(EcKeys.publicJwk(k.publicJwk())));
        return new JsonWebKeySet(published).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
    }

    private static KeyRingStore.StoredKey find(List<KeyRingStore.StoredKey> keys, KeyState state) {
        return keys.stream().filter(k -> k.state() == state).findFirst().orElse(null);
    }
}
