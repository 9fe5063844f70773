package dev.suite.auth.token;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

/** The public keys verifiers fetch (token-guard, or any JOSE library). */
@Path("/.well-known/jwks.json")
public class JwksResource {

    private final SigningKeys keys;
    private final String cacheControl;

    JwksResource(SigningKeys keys, SigningConfig config) {
        this.keys = keys;
        this.cacheControl = "public, max-age=" + config.jwksMaxAge().toSeconds();
    }

    @GET
    public Uni<Response> jwks() {
        return keys.publishedJwks().map(jwks -> Response.ok(jwks, "application/jwk-set+json").header("Cache-Control", cacheControl).build());
    }
}
