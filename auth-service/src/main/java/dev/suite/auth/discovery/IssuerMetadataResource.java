package dev.suite.auth.discovery;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.suite.auth.token.SigningConfig;

/** The issuer metadata at both well-known names: RFC 8414's and OpenID Connect Discovery's. */
@Path("/.well-known")
public class IssuerMetadataResource {

    private final IssuerMetadata metadata;
    private final String cacheControl;

    IssuerMetadataResource(IssuerMetadata metadata, SigningConfig signing) {
        this.metadata = metadata;
        // It changes only with the configuration; cached as long as the key set it points to.
        this.cacheControl = "public, max-age=" + signing.jwksMaxAge().toSeconds();
    }

    @GET
    @Path("/oauth-authorization-server")
    public Response oauthAuthorizationServer() {
        return document();
    }

    @GET
    @Path("/openid-configuration")
    public Response openidConfiguration() {
        return document();
    }

    private Response document() {
        return Response.ok(metadata.document(), MediaType.APPLICATION_JSON).header("Cache-Control", cacheControl).build();
    }
}
