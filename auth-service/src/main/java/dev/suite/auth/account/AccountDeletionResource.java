package dev.suite.auth.account;

import java.util.UUID;

import dev.suite.problem.Problem;
import dev.suite.tokenguard.TokenIdentityProvider;
import dev.suite.tokenguard.VerifiedToken;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

/**
 * Account deletion, called by the user service (with its service token) as part of DELETE /users/me, with the
 * password the user re-entered and the session they asked from.
 */
@Path("/internal/accounts/{id}")
public class AccountDeletionResource {

    static final String ALLOWED_CALLER = "user-service";

    public record DeletionRequest(String currentPassword, UUID sessionId) {
        @Override
        public String toString() {
            return "DeletionRequest[sid=" + sessionId + "]"; // never the password
        }
    }

    private final AccountDeletionService deletions;
    private final SecurityIdentity identity;

    AccountDeletionResource(AccountDeletionService deletions, SecurityIdentity identity) {
        this.deletions = deletions;
        this.identity = identity;
    }

    @DELETE
    @RolesAllowed("service")
    public Uni<Response> delete(@PathParam("id") UUID id, DeletionRequest request) {
        VerifiedToken caller = TokenIdentityProvider.tokenOf(identity);
        if (!caller.isServiceToken() || !ALLOWED_CALLER.equals(caller.subject())) {
            throw new Problem(403, "Forbidden", "Only the user service deletes accounts.");
        }
        if (request == null) {
            throw Problem.badRequest("A JSON body with currentPassword and sessionId is required.");
        }
        return deletions.delete(id, request.sessionId(), request.currentPassword(), caller.subject())
                .map(ignored -> Response.noContent().build());
    }
}
