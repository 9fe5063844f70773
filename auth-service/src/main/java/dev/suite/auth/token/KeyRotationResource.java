package dev.suite.auth.token;

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
    private final KeyRotationService rotation;

    KeyRotationResource(SigningKeys keys, KeyRotationService rotation) {
        this.keys = keys;
        this.rotation = rotation;
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
        return rotation.rotate().map(ring -> json(new JsonObject().put("current", ring.current()).put("next", ring.next())));
    }

    @POST
    @Path("{kid}/withdrawal")
    public Uni<Response> withdraw(@PathParam("kid") String kid) {
        return rotation.withdraw(kid).map(withdrawn -> {
            SigningKeys.Withdrawal withdrawal = withdrawn.withdrawal();
            return json(new JsonObject().put("withdrawn", withdrawal.kid()).put("was", withdrawal.was().column())
                    .put("current", withdrawal.ring().current()).put("next", withdrawal.ring().next())
                    .put("sessionsRevoked", withdrawn.sessionsRevoked()));
        });
    }

    private static Response json(JsonObject body) {
        return Response.ok(body.encode(), "application/json").build();
    }
}
