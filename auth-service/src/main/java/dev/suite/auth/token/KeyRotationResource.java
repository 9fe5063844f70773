package dev.suite.auth.token;

import dev.suite.auth.audit.AuditLog;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

/** Admin: rotate the signing keys now (next becomes current; old tokens stay valid until they expire). */
@Path("/admin/keys/rotation")
public class KeyRotationResource {

    private final SigningKeys keys;
    private final AuditLog audit;

    KeyRotationResource(SigningKeys keys, AuditLog audit) {
        this.keys = keys;
        this.audit = audit;
    }

    @POST
    @RolesAllowed("admin")
    public Uni<Response> rotate() {
        return keys.rotate(false).call(kids -> Panache.withTransaction(() ->
                        audit.record(AuditLog.Type.KEY_ROTATED, null, null, null, "current " + kids[0])))
                .map(kids -> Response.ok(new JsonObject().put("current", kids[0]).put("next", kids[1]).encode(), "application/json").build());
    }
}
