package dev.suite.auth.token;

import java.util.List;
import java.util.UUID;

import dev.suite.auth.audit.AuditLog;
import dev.suite.auth.session.SessionService;
import dev.suite.problem.Problem;
import dev.suite.tokenguard.JwksCache;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * An admin's change to the signing key ring and what must follow it: each change is audited; a withdrawn key
 * leaves this replica's own verifier at once, and every session that may hold a token it signed is revoked.
 */
@ApplicationScoped
public class KeyRotationService {

    /** What a withdrawal did, and how many sessions it revoked. */
    public record Withdrawn(SigningKeys.Withdrawal withdrawal, int sessionsRevoked) {
    }

    private static final int KID_MAX = 64;

    private final SigningKeys keys;
    private final SessionService sessions;
    private final JwksCache ownVerifier;
    private final AuditLog audit;

    KeyRotationService(SigningKeys keys, SessionService sessions, JwksCache ownVerifier, AuditLog audit) {
        this.keys = keys;
        this.sessions = sessions;
        this.ownVerifier = ownVerifier;
        this.audit = audit;
    }

    /** Promotes the pre-published next key now, whatever the current key's age. */
    public Uni<SigningKeys.Rotation> rotate() {
        return keys.rotate(false).call(ring -> Panache.withTransaction(() ->
                audit.record(AuditLog.Type.KEY_ROTATED, null, null, null, "current " + ring.current())));
    }

    /** Withdraws a key that leaked; a kid no key of the ring can have is a 404 like an unknown one. */
    public Uni<Withdrawn> withdraw(String kid) {
        if (kid.length() > KID_MAX) {
            throw new Problem(404, "Not Found", "No key of the ring has this kid.");
        }
        return keys.withdraw(kid)
                .call(ownVerifier::refetchNow)
                .call(withdrawal -> Panache.withTransaction(() -> audit.record(AuditLog.Type.KEY_WITHDRAWN, null, null, null,
                        "withdrew " + withdrawal.kid() + " (" + withdrawal.was().column() + ")")))
                .chain(withdrawal -> revokeSessionsOf(withdrawal).map(revoked -> new Withdrawn(withdrawal, revoked.size())));
    }

    /** A key that never signed (a next key) leaves no session to revoke. */
    private Uni<List<UUID>> revokeSessionsOf(SigningKeys.Withdrawal withdrawal) {
        return withdrawal.signedSince() == null ? Uni.createFrom().item(List.of())
                : Panache.withTransaction(() -> sessions.revokeUsedSince(withdrawal.signedSince(), "key-withdrawn"));
    }
}
