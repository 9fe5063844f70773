package dev.suite.auth.reset;

import dev.suite.client.ClientAddress;
import dev.suite.problem.Problem;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

@Path("/password-reset")
public class PasswordResetResource {

    public record ResetRequest(String email) {
    }

    /** The token travels here, in the body: never in a URL, so never in a log line or a Referer. */
    public record ResetConfirmation(String token, String newPassword) {
        @Override
        public String toString() {
            return "ResetConfirmation[...]";
        }
    }

    /** The one answer to every well-formed request, whoever owns the address (or nobody). */
    static final String ACCEPTED = "{\"status\":\"accepted\",\"detail\":\"If an account uses this email address, a link to choose "
            + "a new password is on its way. It works once, for 30 minutes.\"}";

    private final PasswordResetService resets;

    PasswordResetResource(PasswordResetService resets) {
        this.resets = resets;
    }

    @POST
    // JSON only: RESTEasy would otherwise build this one-field body from a plain-text body too (JsonBodiesOnlyTest).
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> request(ResetRequest request, @Context HttpServerRequest http) {
        if (request == null) {
            throw Problem.badRequest("A JSON body with email is required.");
        }
        return resets.request(request.email(), ClientAddress.of(http))
                .map(ignored -> Response.accepted(ACCEPTED).type(MediaType.APPLICATION_JSON).build());
    }

    @POST
    @Path("/confirm")
    public Uni<Response> confirm(ResetConfirmation confirmation, @Context HttpServerRequest http) {
        if (confirmation == null) {
            throw Problem.badRequest("A JSON body with token and newPassword is required.");
        }
        // Signs nobody in: the owner signs in with the new password, on a device of their choosing.
        return resets.confirm(confirmation.token(), confirmation.newPassword(), ClientAddress.of(http))
                .map(ignored -> Response.noContent().build());
    }
}
