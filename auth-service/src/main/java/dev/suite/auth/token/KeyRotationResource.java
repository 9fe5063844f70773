package dev.suite.auth.token;

import java.util.List;

import dev.suite.auth.audit.AuditLog;
import dev.suite.auth.session.SessionService;
import dev.suite.tokenguard.JwksCache;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

/**
 * Admin: the signing key ring. Rotate on schedule or at will (old tokens stay valid until they expire), or withdraw
 * a key that leaked (its tokens stop at once here, everywhere else within the verifiers' JWKS refresh, and every
 * session that used it is revoked). The operator's runbook is in deploy/k8s/README.md.
 */
@Path("/admin/keys")
@RolesAllowed("admin")
public class KeyRotationResource {

    private final SigningKeys keys;
    private final SessionService sessions;
    private final JwksCache ownVerifier;
    private final AuditLog audit;

    KeyRotationResource(SigningKeys keys, SessionService sessions, JwksCache ownVerifier, AuditLog audit) {
        this.keys = keys;
        this.sessions = sessions;
        this.ownVerifier = ownVerifier;
        this.audit = audit;
    }

    /** Every key, its state, and whether the current seed sealed it (what a seed replacement waits for). */
    @GET
    public Uni<Response> list() {
        return keys.all().map(all -> {
            JsonArray rows = new JsonArray();
            all.forEach(key -> rows.add(new JsonObject().put("kid", key.kid()).put("state", key.state().column())
                    .put("createdAt", String.valueOf(key.createdAt())).put("activatedAt", key.activatedAt() == null ? null : key.activatedAt().toString())
                    .put("withdrawnAt", key.withdrawnAt() == null ? null : key.withdrawnAt().toString())
                    .put("sealedByCurrentSeed", keys.sealingSeedId().equals(key.sealed().sealedBy()))));
            return json(new JsonObject().put("seed", keys.sealingSeedId()).put("keys", rows));
        });
    }

    @POST
    @Path("rotation")
    public Uni<Response> rotate() {
        return keys.rotate(false).call(ring -> Panache.withTransaction(() ->
                        audit.record(AuditLog.Type.KEY_ROTATED, null, null, null, "current " + ring.current())))
                .map(ring -> json(new JsonObject().put("current", ring.current()).put("next", ring.next())));
    }

    @POST
    @Path("{kid}/withdrawal")
    public Uni<Response> withdraw(@PathParam("kid") String kid) {
        if (kid.length() > 64) {
            throw new dev.suite.problem.Problem(404, "Not Found", "No key of the ring has this kid.");
        }
        return keys.withdraw(kid)
                .call(ownVerifier::refetchNow)
                .call(withdrawal -> Panache.withTransaction(() -> audit.record(AuditLog.Type.KEY_WITHDRAWN, null, null, null,
                        "withdrew " + withdrawal.kid() + " (" + withdrawal.was().column() + ")")))
                .chain(withdrawal -> (withdrawal.signedSince() == null ? Uni.createFrom().item(List.<java.util.UUID>of())
                        : Panache.withTransaction(() -> sessions.revokeUsedSince(withdrawal.signedSince(), "key-withdrawn")))
                        .map(revoked -> json(new JsonObject().put("withdrawn", withdrawal.kid()).put("was", withdrawal.was().column())
                                .put("current", withdrawal.ring().current()).put("next", withdrawal.ring().next())
                                .put("sessionsRevoked", revoked.size()))));
    }

    private static Response json(JsonObject body) {
        return Response.ok(body.encode(), "application/json").build();
    }
}
