package dev.suite.auth.password;

import java.util.UUID;

import dev.suite.auth.factor.RecentSecondFactor;
import dev.suite.auth.session.PasswordChangeOnly;
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

@Path("/password")
public class PasswordChangeResource {

    public record PasswordChangeRequest(String currentPassword, String newPassword) {
        @Override
        public String toString() {
            return "PasswordChangeRequest[...]";
        }
    }

    private final PasswordChangeService changes;
    private final SecurityIdentity identity;
    private final RecentSecondFactor stepUp;

    PasswordChangeResource(PasswordChangeService changes, SecurityIdentity identity, RecentSecondFactor stepUp) {
        this.stepUp = stepUp;
        this.changes = changes;
        this.identity = identity;
    }

    @POST
    // The one route a session of an account that must replace its password may use (PasswordChangeOnly).
    @RolesAllowed({ "user", PasswordChangeOnly.GROUP })
    public Uni<Response> change(PasswordChangeRequest request, @Context HttpServerRequest http) {
        if (request == null) {
            throw Problem.badRequest("A JSON body with currentPassword and newPassword is required.");
        }
        VerifiedToken token = TokenIdentityProvider.tokenOf(identity);
        // An account with a second factor changes its password only soon after a sign-in with it (step-up).
        return stepUp.requireIfFactor(token).chain(() -> changes.change(UUID.fromString(token.subject()), UUID.fromString(token.sessionId()),
                request.currentPassword(), request.newPassword(), ClientAddress.of(http)))
                .map(ignored -> Response.noContent().build());
    }
}
