package dev.suite.auth.login;

import dev.suite.client.ClientAddress;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;

@Path("/login")
public class LoginResource {

    public record LoginRequest(String email, String password, String deviceToken) {
        @Override
        public String toString() {
            return "LoginRequest[email=" + email + "]"; // never the password or the device token
        }
    }

    private final LoginService logins;

    LoginResource(LoginService logins) {
        this.logins = logins;
    }

    /** 200 and the tokens; or 202 and the challenge of the second step, when the account has a second factor. */
    @POST
    public Uni<Response> login(LoginRequest request, @Context HttpServerRequest http) {
        if (request == null) {
            throw dev.suite.problem.Problem.badRequest("A JSON body with email and password is required.");
        }
        return logins.login(request.email(), request.password(), request.deviceToken(), ClientAddress.of(http),
                new LoginService.Origin(http.getHeader("User-Agent"), ClientAddress.approximate(http)))
                .map(outcome -> outcome instanceof LoginOutcome.SignedIn signedIn
                        ? Response.ok(signedIn.tokens()).build() : Response.accepted(outcome).build());
    }
}
