package dev.suite.examples.oidc;

import java.util.Map;

import org.eclipse.microprofile.jwt.JsonWebToken;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/**
 * The one endpoint of a service that trusts the suite's access tokens through quarkus-oidc alone: signature (keys
 * from the issuer's discovery document), issuer, audience, type, lifetime and the {@code user} group are checked by
 * quarkus-oidc with the configuration in application.properties; nothing here touches the token.
 */
@Path("/whoami")
public class WhoAmIResource {

    private final JsonWebToken token;

    WhoAmIResource(JsonWebToken token) {
        this.token = token;
    }

    @GET
    @RolesAllowed("user")
    public Map<String, String> whoAmI() {
        return Map.of("subject", token.getSubject(), "session", token.<String>getClaim("sid"), "issuer", token.getIssuer());
    }
}
