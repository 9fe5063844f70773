package dev.suite.auth.account;

import java.util.UUID;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

@ApplicationScoped
public class AccountRepository implements PanacheRepositoryBase<Account, UUID> {

    public Uni<Account> findByEmail(String normalisedEmail) {
        return find("email", normalisedEmail).firstResult();
    }

    /**
     * The account, row-locked until the transaction ends, if its password hash is still the one a check just
     * verified; null if the password changed or the account was deleted meanwhile (the check is then void).
     */
    public Uni<Account> lockedWithHash(UUID id, String verifiedHash) {
        return find("id = ?1 and passwordHash = ?2", id, verifiedHash).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    /** Whether a write failed on a unique index (SQLSTATE 23505): for account, an email that has an account already. */
    public static boolean isUniqueViolation(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("23505")) {
                return true;
            }
        }
        return false;
    }

    /** The owner's own new password: it also lifts a required change (the first admin's initial password). */
    public Uni<Void> replacePasswordByOwner(UUID id, String newHash) {
        return update("passwordHash = ?1, passwordChangeRequired = false, updatedAt = current_timestamp where id = ?2", newHash, id)
                .replaceWithVoid();
    }

    /** A rehash of the same password (login's upgrade): a required change stays required. */
    public Uni<Void> replacePasswordHash(UUID id, String newHash) {
        return update("passwordHash = ?1, updatedAt = current_timestamp where id = ?2", newHash, id).replaceWithVoid();
    }
}
