package dev.suite.auth.introspection;

import java.util.Locale;
import java.util.Map;

import dev.suite.auth.client.ClientCredentials;
import dev.suite.auth.client.RegisteredClients;
import dev.suite.problem.Problem;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * RFC 7662 token introspection, for registered service clients only (the same registry and secrets as
 * {@code /internal/service-tokens}), so that a service in any language can honour a logout at once. Never routed by
 * the gateway; its URL is in the issuer metadata.
 */
@Path(IntrospectionResource.PATH)
public class IntrospectionResource {

    public static final String PATH = "/oauth2/introspect";

    private final RegisteredClients clients;
    private final TokenIntrospection introspection;

    IntrospectionResource(RegisteredClients clients, TokenIntrospection introspection) {
        this.clients = clients;
        this.introspection = introspection;
    }

    /** No @Consumes: the 415 for JSON (what every other endpoint takes) says what this one takes instead. */
    @POST
    public Uni<Response> introspect(@HeaderParam("Content-Type") String contentType, @HeaderParam("Authorization") String authorization,
            @FormParam("client_id") String clientId, @FormParam("client_secret") String clientSecret, @FormParam("token") String token) {
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith(MediaType.APPLICATION_FORM_URLENCODED)) {
            throw new Problem(415, "Unsupported Media Type",
                    "Send the request as a form, with Content-Type: application/x-www-form-urlencoded (RFC 7662).");
        }
        RegisteredClients.Client client = ClientCredentials.of(authorization, clientId, clientSecret)
                .flatMap(credentials -> clients.authenticate(credentials.clientId(), credentials.secret()))
                .orElseThrow(IntrospectionResource::notAClient);
        if (token == null) {
            throw Problem.badRequest("Send the token to introspect as the form field token.");
        }
        return introspection.introspect(token, client.id()).map(answer -> Response.ok(answer, MediaType.APPLICATION_JSON)
                .header("Cache-Control", "no-store").build());
    }

    /** The same answer for no credentials, an unknown client and a wrong secret: no client id is confirmed. */
    private static Problem notAClient() {
        return new Problem(401, "Unauthorized", "Introspection is for registered clients: send the client id and secret.",
                Map.of("WWW-Authenticate", "Basic realm=\"auth-service\", charset=\"UTF-8\""));
    }
}
