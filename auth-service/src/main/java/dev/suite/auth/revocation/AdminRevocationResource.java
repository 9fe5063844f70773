package dev.suite.auth.revocation;

import java.util.UUID;

import dev.suite.auth.audit.AuditLog;
import dev.suite.client.ClientAddress;
import dev.suite.problem.Problem;
import dev.suite.auth.session.SessionService;
import dev.suite.tokenguard.RevocationStore;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;

/** Admin: revoke one token id, one session, or every session of a user. Exactly one of the three. */
@Path("/admin/revocations")
public class AdminRevocationResource {

    public record RevocationRequest(String tokenId, UUID sessionId, UUID userId) {
    }

    private final RevocationStore revocations;
    private final SessionService sessions;
    private final AuditLog audit;

    AdminRevocationResource(RevocationStore revocations, SessionService sessions, AuditLog audit) {
        this.revocations = revocations;
        this.sessions = sessions;
        this.audit = audit;
    }

    @POST
    @RolesAllowed("admin")
    public Uni<Response> revoke(RevocationRequest request, @Context HttpServerRequest http) {
        if (request == null) {
            throw Problem.badRequest("A JSON body with one of tokenId, sessionId or userId is required.");
        }
        int given = (request.tokenId() == null ? 0 : 1) + (request.sessionId() == null ? 0 : 1) + (request.userId() == null ? 0 : 1);
        if (given != 1) {
            throw Problem.badRequest("Give exactly one of tokenId, sessionId or userId.");
        }
        String ip = ClientAddress.of(http);
        Uni<Void> done;
        if (request.tokenId() != null) {
            if (request.tokenId().isBlank() || request.tokenId().length() > 100) {
                throw Problem.badRequest("tokenId is not a token id.");
            }
            done = revocations.revokeTokenId(request.tokenId())
                    .chain(() -> Panache.withTransaction(() -> audit.record(AuditLog.Type.TOKEN_REVOKED, null, null, ip, "admin")));
        } else if (request.sessionId() != null) {
            done = Panache.withTransaction(() -> sessions.revoke(request.sessionId(), "admin", ip));
        } else {
            done = Panache.withTransaction(() -> sessions.revokeAll(request.userId(), null, "admin", ip));
        }
        return done.map(ignored -> Response.noContent().build());
    }
}
