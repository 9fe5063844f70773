package dev.suite.auth.revocation;

import dev.suite.client.ClientAddress;
import dev.suite.problem.Problem;
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

    private final AdminRevocationService revocations;

    AdminRevocationResource(AdminRevocationService revocations) {
        this.revocations = revocations;
    }

    @POST
    @RolesAllowed("admin")
    public Uni<Response> revoke(RevocationRequest request, @Context HttpServerRequest http) {
        if (request == null) {
            throw Problem.badRequest("A JSON body with one of tokenId, sessionId or userId is required.");
        }
        return revocations.revoke(request, ClientAddress.of(http)).map(ignored -> Response.noContent().build());
    }
}
