package dev.suite.auth.factor;

import com.fasterxml.jackson.databind.JsonNode;

import dev.suite.client.ClientAddress;
import dev.suite.problem.Problem;
import dev.suite.tokenguard.TokenIdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The caller's own passkeys: add one (two calls: the options, then the browser's answer), remove one. */
@Path("/factors/passkeys")
@RolesAllowed("user")
public class PasskeyResource {

    /** The browser's PublicKeyCredential (its toJSON()), the owner's label for it, and the current password. */
    public record AddRequest(JsonNode credential, String name, String currentPassword) {
        @Override
        public String toString() {
            return "AddRequest[name=" + name + "]"; // never the password
        }
    }

    private final Passkeys passkeys;
    private final SecurityIdentity identity;

    PasskeyResource(Passkeys passkeys, SecurityIdentity identity) {
        this.passkeys = passkeys;
        this.identity = identity;
    }

    /** The options for navigator.credentials.create(), for this session, for one ceremony. */
    @POST
    @Path("/options")
    public Uni<PasskeyOptions.Creation> options() {
        return passkeys.registrationOptions(TokenIdentityProvider.tokenOf(identity));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> add(AddRequest request, @Context HttpServerRequest http) {
        if (request == null || request.credential() == null || !request.credential().isObject() || request.currentPassword() == null
                || request.currentPassword().isEmpty()) {
            throw Problem.badRequest("A JSON body with credential (an object), name and currentPassword is required.");
        }
        return passkeys.add(TokenIdentityProvider.tokenOf(identity), request.credential().toString(), request.name(), request.currentPassword(),
                ClientAddress.of(http)).map(added -> Response.status(201).entity(added).build());
    }

    // Only what a credential id can be (base64url, 16 to 1023 bytes): nothing else under /factors/passkeys is an id, so
    // /factors/passkeys/options takes POST alone (its Allow header says so).
    @DELETE
    @Path("/{id: [A-Za-z0-9_-]{22,1364}}")
    public Uni<Response> remove(@PathParam("id") String id, @Context HttpServerRequest http) {
        return passkeys.remove(TokenIdentityProvider.tokenOf(identity), id, ClientAddress.of(http)).map(ignored -> Response.noContent().build());
    }
}
