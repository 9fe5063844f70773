package dev.suite.users.profile;

import java.util.UUID;

import dev.suite.problem.Problem;
import dev.suite.tokenguard.TokenIdentityProvider;
import dev.suite.tokenguard.VerifiedToken;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

/** Owner-only by construction: "me" is the verified token's subject, never a path or body field. */
@Path("/users")
public class ProfileResource {

    private final ProfileService profiles;
    private final SecurityIdentity identity;

    ProfileResource(ProfileService profiles, SecurityIdentity identity) {
        this.profiles = profiles;
        this.identity = identity;
    }

    @GET
    @Path("/me")
    @RolesAllowed("user")
    public Uni<ProfileView> me() {
        VerifiedToken token = caller();
        return profiles.mine(UUID.fromString(token.subject()), token.name()).map(view -> view.withEmail(token.email()));
    }

    @PATCH
    @Path("/me")
    @RolesAllowed("user")
    @Consumes({ "application/json", "application/merge-patch+json" })
    public Uni<ProfileView> update(JsonObject body) {
        ProfilePatch patch = ProfilePatch.from(body);
        VerifiedToken token = caller();
        return profiles.update(UUID.fromString(token.subject()), token.name(), patch).map(view -> view.withEmail(token.email()));
    }

    /** What deleting one's account takes: the password, so that a stolen session alone cannot do it. */
    public record DeletionRequest(String currentPassword) {
        @Override
        public String toString() {
            return "DeletionRequest[...]";
        }
    }

    @DELETE
    @Path("/me")
    @RolesAllowed("user")
    @Consumes("application/json")
    public Uni<Response> delete(DeletionRequest request) {
        if (request == null || request.currentPassword() == null || request.currentPassword().isEmpty()) {
            throw Problem.badRequest("A JSON body with currentPassword is required to delete the account.");
        }
        VerifiedToken token = caller();
        return profiles.deleteMine(UUID.fromString(token.subject()), UUID.fromString(token.sessionId()), request.currentPassword())
                .map(ignored -> Response.noContent().build());
    }

    @GET
    @Path("/{id}")
    @RolesAllowed("admin")
    public Uni<ProfileView> byId(@PathParam("id") String id) {
        try {
            return profiles.forAdmin(UUID.fromString(id));
        } catch (IllegalArgumentException e) {
            throw new Problem(404, "Not Found", "No such user.");
        }
    }

    private VerifiedToken caller() {
        return TokenIdentityProvider.tokenOf(identity);
    }
}
