package dev.suite.auth.account;

import dev.suite.auth.login.ClientAddress;
import dev.suite.problem.Problem;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;

@Path("/register")
public class RegistrationResource {

    public record RegistrationRequest(String email, String password, String displayName) {
        @Override
        public String toString() {
            return "RegistrationRequest[email=" + email + "]"; // never the password
        }
    }

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
                // No Location: the account is in the body, and "/users/{id}" is no path of this service (JAX-RS made it an
                // absolute URL naming this service's internal host, which the gateway relayed to browsers).
                .map(account -> Response.status(Response.Status.CREATED).entity(account).build());
    }
}
