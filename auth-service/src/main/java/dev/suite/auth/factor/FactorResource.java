package dev.suite.auth.factor;

import dev.suite.client.ClientAddress;
import dev.suite.problem.Problem;
import dev.suite.tokenguard.TokenIdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;

/** The caller's own second factors. */
@Path("/factors")
@RolesAllowed("user")
public class FactorResource {

    private final FactorSettings settings;
    private final SecurityIdentity identity;

    FactorResource(FactorSettings settings, SecurityIdentity identity) {
        this.settings = settings;
        this.identity = identity;
    }

    @GET
    public Uni<SecondFactors.Status> status() {
        return settings.status(TokenIdentityProvider.tokenOf(identity));
    }

    /** A new authenticator secret, shown this once; on after {@code /factors/totp/confirm}. */
    @POST
    @Path("/totp")
    public Uni<Response> enrol() {
        return settings.enrol(TokenIdentityProvider.tokenOf(identity)).map(enrolment -> Response.status(201).entity(enrolment).build());
    }

    /** The first code and the current password: a session alone cannot put a factor of its holder's on the account. */
    public record ConfirmRequest(String code, String currentPassword) {
        @Override
        public String toString() {
            return "ConfirmRequest[...]";
        }
    }

    /** The authenticator's first code: it is on, and here are the recovery codes, shown this once. */
    @POST
    @Path("/totp/confirm")
    public Uni<SecondFactors.RecoveryCodes> confirm(ConfirmRequest request, @Context HttpServerRequest http) {
        if (request == null || request.code() == null || request.currentPassword() == null || request.currentPassword().isEmpty()) {
            throw Problem.badRequest("A JSON body with code and currentPassword is required.");
        }
        return settings.confirm(TokenIdentityProvider.tokenOf(identity), request.code(), request.currentPassword(), ClientAddress.of(http));
    }

    @DELETE
    @Path("/totp")
    public Uni<Response> disable(@Context HttpServerRequest http) {
        return settings.disable(TokenIdentityProvider.tokenOf(identity), ClientAddress.of(http)).map(ignored -> Response.noContent().build());
    }

    @POST
    @Path("/recovery-codes")
    public Uni<SecondFactors.RecoveryCodes> replaceRecoveryCodes(@Context HttpServerRequest http) {
        return settings.replaceRecoveryCodes(TokenIdentityProvider.tokenOf(identity), ClientAddress.of(http));
    }
}
