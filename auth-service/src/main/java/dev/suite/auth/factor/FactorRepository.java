package dev.suite.auth.factor;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

/** The second factors of accounts: queries only; the service that calls owns the transaction. */
@ApplicationScoped
public class FactorRepository {

    public Uni<TotpFactor> totpOf(UUID accountId) {
        return TotpFactor.findById(accountId);
    }

    /** Row-locked until the transaction ends: two codes checked at once are judged one after the other. */
    public Uni<TotpFactor> lockedTotpOf(UUID accountId) {
        return TotpFactor.<TotpFactor>find("accountId", accountId).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    /** A confirmed authenticator or any passkey: what makes a password alone not enough to sign in. */
    public Uni<Boolean> hasConfirmedFactor(UUID accountId) {
        return TotpFactor.count("accountId = ?1 and confirmedAt is not null", accountId)
                .chain(totp -> totp > 0 ? Uni.createFrom().item(true) : Passkey.count("accountId", accountId).map(passkeys -> passkeys > 0));
    }

    public Uni<List<Passkey>> passkeysOf(UUID accountId) {
        return Passkey.list("accountId = ?1 order by createdAt", accountId);
    }

    public Uni<Long> countPasskeysOf(UUID accountId) {
        return Passkey.count("accountId", accountId);
    }

    public Uni<Passkey> passkey(String credentialId) {
        return Passkey.findById(credentialId);
    }

    /** The account a passkey belongs to, without loading (and so caching, unlocked) the passkey itself; null if none. */
    public Uni<UUID> accountOfPasskey(String credentialId) {
        return Panache.getSession().chain(session -> session
                .createSelectionQuery("select p.accountId from Passkey p where p.credentialId = :id", UUID.class)
                .setParameter("id", credentialId).getSingleResultOrNull());
    }

    /** Row-locked until the transaction ends: two assertions with one counter value are judged one after the other. */
    public Uni<Passkey> lockedPasskey(String credentialId) {
        return Passkey.<Passkey>find("credentialId", credentialId).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    public Uni<Void> persist(Passkey passkey) {
        return passkey.persist().replaceWithVoid();
    }

    /** After a password reset: no passkey of the account signs in by itself until it completed a second step again. */
    public Uni<Void> passkeysNeedThePassword(UUID accountId) {
        return Passkey.update("passwordless = false where accountId = ?1", accountId).replaceWithVoid();
    }

    public Uni<Void> deletePasskeys(UUID accountId) {
        return Passkey.delete("accountId", accountId).replaceWithVoid();
    }

    /** Whether the account's passkey {@code credentialId} was there to delete. */
    public Uni<Boolean> deletePasskey(UUID accountId, String credentialId) {
        return Passkey.delete("credentialId = ?1 and accountId = ?2", credentialId, accountId).map(deleted -> deleted > 0);
    }

    public Uni<Void> persist(TotpFactor factor) {
        return factor.persist().replaceWithVoid();
    }

    public Uni<Void> deleteTotp(UUID accountId) {
        return TotpFactor.delete("accountId", accountId).replaceWithVoid();
    }

    public Uni<Void> replaceRecoveryCodes(UUID accountId, Iterable<String> hashes, Instant now) {
        Uni<Void> chain = RecoveryCode.delete("accountId", accountId).replaceWithVoid().call(() -> Panache.flush());
        for (String hash : hashes) {
            RecoveryCode code = new RecoveryCode();
            code.codeHash = hash;
            code.accountId = accountId;
            code.createdAt = now;
            chain = chain.chain(() -> code.persist().replaceWithVoid());
        }
        return chain;
    }

    /** The account's unused code with this hash, row-locked; null when there is none (wrong, used, another's). */
    public Uni<RecoveryCode> lockedUnusedCode(UUID accountId, String hash) {
        return RecoveryCode.<RecoveryCode>find("codeHash = ?1 and accountId = ?2 and usedAt is null", hash, accountId)
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    public Uni<Long> unusedCodesOf(UUID accountId) {
        return RecoveryCode.count("accountId = ?1 and usedAt is null", accountId);
    }

    public Uni<Void> deleteRecoveryCodes(UUID accountId) {
        return RecoveryCode.delete("accountId", accountId).replaceWithVoid();
    }
}
