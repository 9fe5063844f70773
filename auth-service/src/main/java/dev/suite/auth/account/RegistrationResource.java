package dev.suite.auth.account;

import dev.suite.client.ClientAddress;
import dev.suite.problem.Problem;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

@Path("/register")
public class RegistrationResource {

    public record RegistrationRequest(String email, String password, String displayName) {
        @Override
        public String toString() {
            return "RegistrationRequest[email=" + email + "]"; // never the password
        }
    }

    /** The one answer to every well-formed registration. */
    static final String ACCEPTED = "{\"status\":\"accepted\",\"detail\":\"If this email address can be used, the account is ready: sign in with it.\"}";

    private final RegistrationService registrations;

    RegistrationResource(RegistrationService registrations) {
        this.registrations = registrations;
    }

    @POST
    public Uni<Response> register(RegistrationRequest request, @Context HttpServerRequest http) {
        if (request == null) {
            throw Problem.badRequest("A JSON body with email, password and displayName is required.");
        }
        return registrations.register(request.email(), request.password(), request.displayName(), ClientAddress.of(http))
                // 202 whether or not the email was taken, with nothing that differs (no id, no Location).
                .map(ignored -> Response.accepted(ACCEPTED).type(MediaType.APPLICATION_JSON).build());
    }
}
