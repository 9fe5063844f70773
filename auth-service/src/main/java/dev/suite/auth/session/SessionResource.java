package dev.suite.auth.session;

import java.util.List;
import java.util.UUID;

import dev.suite.client.ClientAddress;
import dev.suite.problem.Problem;
import dev.suite.tokenguard.TokenIdentityProvider;
import dev.suite.tokenguard.VerifiedToken;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Refresh, logout, logout-all and the session list: what a signed-in client does with its sessions. */
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
    // JSON only: RESTEasy would otherwise build this one-field body from a plain-text body too (JsonBodiesOnlyTest).
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<IssuedTokens> refresh(RefreshRequest request, @Context HttpServerRequest http) {
        if (request == null) {
            throw Problem.badRequest("A JSON body with refreshToken is required.");
        }
        return sessions.refresh(request.refreshToken(), ClientAddress.of(http), ClientAddress.approximate(http)).map(outcome -> {
            if (outcome instanceof RefreshOutcome.Rotated rotated) {
                return rotated.tokens();
            }
            // The same answer as for any invalid token: the reuse is known to us, the caller learns nothing new.
            throw Problem.unauthorized("The refresh token is not valid.");
        });
    }

    @POST
    @Path("logout")
    // Signing out always works, also for a session that may only change its password.
    @RolesAllowed({ "user", PasswordChangeOnly.GROUP })
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

    /** "Where you're signed in": the caller's live sessions, this one marked. */
    @GET
    @Path("sessions")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed("user")
    public Uni<List<SessionView>> list() {
        VerifiedToken token = TokenIdentityProvider.tokenOf(identity);
        return sessions.liveSessionsOf(UUID.fromString(token.subject()), UUID.fromString(token.sessionId()));
    }

    /** Ends one of the caller's sessions, as logout does; any id that is not a live session of theirs is a 404. */
    @DELETE
    @Path("sessions/{id}")
    @RolesAllowed("user")
    public Uni<Response> end(@PathParam("id") String id, @Context HttpServerRequest http) {
        VerifiedToken token = TokenIdentityProvider.tokenOf(identity);
        UUID sessionId;
        try {
            sessionId = UUID.fromString(id);
        } catch (IllegalArgumentException notAnId) {
            // The same answer as for an unknown id: the shape of an id tells nothing either.
            sessionId = new UUID(0, 0);
        }
        return sessions.endOwnSession(UUID.fromString(token.subject()), sessionId, ClientAddress.of(http))
                .map(ignored -> Response.noContent().build());
    }
}
