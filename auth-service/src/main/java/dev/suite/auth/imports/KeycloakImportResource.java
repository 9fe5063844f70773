package dev.suite.auth.imports;

import java.util.UUID;

import dev.suite.client.ClientAddress;
import dev.suite.problem.Problem;
import dev.suite.tokenguard.TokenIdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;

/** Admin: create accounts from a Keycloak realm export, keeping each user's password hash until their next sign-in. */
@Path("/admin/imports/keycloak")
public class KeycloakImportResource {

    private final KeycloakImport imports;
    private final SecurityIdentity identity;

    KeycloakImportResource(KeycloakImport imports, SecurityIdentity identity) {
        this.imports = imports;
        this.identity = identity;
    }

    @POST
    @RolesAllowed("admin")
    public Uni<ImportReport> importRealm(KeycloakRealmExport export, @Context HttpServerRequest http) {
        if (export == null || export.users() == null) {
            throw Problem.badRequest("A Keycloak realm export (JSON with a users array) is required.");
        }
        UUID admin = UUID.fromString(TokenIdentityProvider.tokenOf(identity).subject());
        return imports.run(export, admin, ClientAddress.of(http));
    }
}
