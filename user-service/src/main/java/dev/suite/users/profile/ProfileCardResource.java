package dev.suite.users.profile;

import java.util.UUID;

import dev.suite.problem.Problem;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

/**
 * A user's card for other services, called with a service token of their own ({@code typ: svc+jwt}, {@code aud:
 * user-service}, group {@code service}). The auth service issues such a token only to a client registered with the
 * audience user-service (auth.client-credentials.clients), so that registration is the permission. Under /internal:
 * the gateway routes nothing here, and a user's token is refused (it lacks the group).
 */
@Path("/internal/profiles")
public class ProfileCardResource {

    private final ProfileService profiles;

    ProfileCardResource(ProfileService profiles) {
        this.profiles = profiles;
    }

    @GET
    @Path("/{id}")
    @RolesAllowed("service")
    public Uni<ProfileCard> card(@PathParam("id") String id) {
        try {
            return profiles.card(UUID.fromString(id));
        } catch (IllegalArgumentException e) {
            throw new Problem(404, "Not Found", "No such user.");
        }
    }
}
