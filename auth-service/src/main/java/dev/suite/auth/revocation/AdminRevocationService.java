package dev.suite.auth.revocation;

import dev.suite.auth.audit.AuditLog;
import dev.suite.auth.session.SessionService;
import dev.suite.problem.Problem;
import dev.suite.tokenguard.RevocationStore;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * An admin revokes one token id (token-guard refuses it at once; the audit row follows), one session, or every
 * session of a user (through {@link SessionService}, which audits each session it ends).
 */
@ApplicationScoped
public class AdminRevocationService {

    private static final int TOKEN_ID_MAX = 100;

    private final RevocationStore revocations;
    private final SessionService sessions;
    private final AuditLog audit;

    AdminRevocationService(RevocationStore revocations, SessionService sessions, AuditLog audit) {
        this.revocations = revocations;
        this.sessions = sessions;
        this.audit = audit;
    }

    /** Fails with a 400 problem unless the request names exactly one thing to revoke. */
    public Uni<Void> revoke(RevocationRequest request, String clientIp) {
        int given = (request.tokenId() == null ? 0 : 1) + (request.sessionId() == null ? 0 : 1) + (request.userId() == null ? 0 : 1);
        if (given != 1) {
            throw Problem.badRequest("Give exactly one of tokenId, sessionId or userId.");
        }
        if (request.tokenId() != null) {
            if (request.tokenId().isBlank() || request.tokenId().length() > TOKEN_ID_MAX) {
                throw Problem.badRequest("tokenId is not a token id.");
            }
            return revocations.revokeTokenId(request.tokenId())
                    .chain(() -> Panache.withTransaction(() -> audit.record(AuditLog.Type.TOKEN_REVOKED, null, null, clientIp, "admin")));
        }
        if (request.sessionId() != null) {
            return Panache.withTransaction(() -> sessions.revoke(request.sessionId(), "admin", clientIp));
        }
        return Panache.withTransaction(() -> sessions.revokeAll(request.userId(), null, "admin", clientIp));
    }
}
