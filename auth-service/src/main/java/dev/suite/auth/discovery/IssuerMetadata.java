package dev.suite.auth.discovery;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;

import dev.suite.auth.introspection.IntrospectionResource;
import dev.suite.tokenguard.TokenGuardConfig;
import io.quarkus.runtime.Startup;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What this issuer publishes about itself (RFC 8414; OpenID Connect Discovery 1.0 reads the same members): every URL
 * is the issuer plus a path this service serves, so a client given only the issuer finds the keys and introspection.
 * The issuer is therefore checked to be a bare origin (no path, query, fragment or trailing slash): where the documents
 * are served ({@code <issuer>/.well-known/...}) is then exactly where both specifications tell clients to look.
 *
 * <p>Only what exists is named. There is no authorization, token or userinfo endpoint (users sign in through the
 * gateway; services get tokens from {@code /internal/service-tokens}, which is not RFC 6749's token endpoint), so
 * none is listed and {@code response_types_supported} is empty. OpenID Discovery requires
 * {@code id_token_signing_alg_values_supported}: no ID token is issued, and the member names the one algorithm every
 * token here is signed with.
 */
@Startup // a wrong issuer stops the start, not the first client
@ApplicationScoped
public class IssuerMetadata {

    public static final String JWKS_PATH = "/.well-known/jwks.json";

    private final String document;

    IssuerMetadata(TokenGuardConfig tokens) {
        String issuer = bareOrigin(tokens.issuer());
        this.document = new JsonObject()
                .put("issuer", issuer)
                .put("jwks_uri", issuer + JWKS_PATH)
                .put("introspection_endpoint", issuer + IntrospectionResource.PATH)
                .put("introspection_endpoint_auth_methods_supported", new JsonArray(List.of("client_secret_basic", "client_secret_post")))
                .put("id_token_signing_alg_values_supported", new JsonArray(List.copyOf(tokens.algorithms())))
                .put("subject_types_supported", new JsonArray(List.of("public")))
                .put("response_types_supported", new JsonArray())
                .put("claims_supported", new JsonArray(List.of("iss", "sub", "aud", "exp", "iat", "nbf", "jti", "sid", "groups", "name", "email")))
                .encode();
    }

    /** The metadata document, as JSON. */
    public String document() {
        return document;
    }

    static String bareOrigin(String issuer) {
        try {
            URI uri = new URI(issuer);
            boolean web = "https".equals(uri.getScheme()) || "http".equals(uri.getScheme());
            if (web && uri.getHost() != null && uri.getRawPath().isEmpty() && uri.getRawQuery() == null && uri.getRawFragment() == null
                    && uri.getRawUserInfo() == null) {
                return issuer;
            }
        } catch (URISyntaxException e) {
            // refused below
        }
        throw new IllegalStateException("token-guard.issuer must be this service's URL without path or trailing slash "
                + "(e.g. https://auth.example.com): the metadata is served at <issuer>/.well-known/..., got " + issuer);
    }
}
