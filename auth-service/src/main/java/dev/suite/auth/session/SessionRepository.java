package dev.suite.auth.session;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

@ApplicationScoped
public class SessionRepository implements PanacheRepositoryBase<AuthSession, UUID> {

    /** The session, row-locked until the transaction ends; null if there is none. */
    public Uni<AuthSession> lockedById(UUID id) {
        return findById(id, LockModeType.PESSIMISTIC_WRITE);
    }

    /** The sessions of an account not revoked yet (expired ones too). */
    public Uni<List<AuthSession>> unrevokedOf(UUID accountId) {
        return list("accountId = ?1 and revokedAt is null", accountId);
    }

    /** The sessions not revoked yet that were opened or refreshed at or after {@code since}. */
    public Uni<List<AuthSession>> unrevokedUsedSince(Instant since) {
        return list("revokedAt is null and lastUsedAt >= ?1", since);
    }
}
