package dev.suite.auth.session;

import java.util.UUID;

import dev.suite.client.ClientAddress;
import dev.suite.problem.Problem;
import dev.suite.tokenguard.TokenIdentityProvider;
import dev.suite.tokenguard.VerifiedToken;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;

/** Refresh, logout and logout-all: what a signed-in client does with its session. */
@Path("/")
public class SessionResource {

    public record RefreshRequest(String refreshToken) {
        @Override
        public String toString() {
            return "RefreshRequest[...]";
        }
    }

    private final SessionService sessions;
    private final SecurityIdentity identity;

    SessionResource(SessionService sessions, SecurityIdentity identity) {
        this.sessions = sessions;
        this.identity = identity;
    }

    @POST
    @Path("refresh")
    public Uni<IssuedTokens> refresh(RefreshRequest request, @Context HttpServerRequest http) {
        if (request == null) {
            throw Problem.badRequest("A JSON body with refreshToken is required.");
        }
        return sessions.refresh(request.refreshToken(), ClientAddress.of(http)).map(outcome -> {
            if (outcome instanceof RefreshOutcome.Rotated rotated) {
                return rotated.tokens();
            }
            // The same answer as for any invalid token: the reuse is known to us, the caller learns nothing new.
            throw Problem.unauthorized("The refresh token is not valid.");
        });
    }

    @POST
    @Path("logout")
    @RolesAllowed("user")
    public Uni<Response> logout(@Context HttpServerRequest http) {
        VerifiedToken token = TokenIdentityProvider.tokenOf(identity);
        return sessions.logout(UUID.fromString(token.sessionId()), ClientAddress.of(http))
                .map(ignored -> Response.noContent().build());
    }

    @POST
    @Path("logout-all")
    @RolesAllowed("user")
    public Uni<Response> logoutAll(@Context HttpServerRequest http) {
        VerifiedToken token = TokenIdentityProvider.tokenOf(identity);
        return sessions.logoutEverywhere(UUID.fromString(token.subject()), ClientAddress.of(http))
                .map(ignored -> Response.noContent().build());
    }
}
