package dev.suite.auth.factor;

import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import dev.suite.auth.session.IssuedTokens;
import dev.suite.client.ClientAddress;
import dev.suite.problem.Problem;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

/** Signing in with a passkey: the options, then the browser's answer (password-less); the second step is /login/second-factor. */
@Path("/login/passkey")
public class PasskeySignInResource {

    /** {@code challenge}: the 202 of /login, for a second step; absent for a password-less sign-in. */
    public record OptionsRequest(String challenge) {
        @Override
        public String toString() {
            return "OptionsRequest[...]"; // never the challenge
        }
    }

    /** {@code deviceToken}: the browser's, from its cookie (the gateway adds it), as for a password sign-in. */
    public record SignInRequest(JsonNode credential, String deviceToken) {
        @Override
        public String toString() {
            return "SignInRequest[...]";
        }
    }

    private final PasskeySignIn passkeys;

    PasskeySignInResource(PasskeySignIn passkeys) {
        this.passkeys = passkeys;
    }

    @POST
    @Path("/options")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<PasskeyOptions.Request> options(OptionsRequest request) {
        if (request == null) {
            throw Problem.badRequest("A JSON object is required: {} for a password-less sign-in, or {\"challenge\": ...}.");
        }
        return passkeys.options(Optional.ofNullable(request.challenge()));
    }

    /** The browser's answer to a password-less ceremony: the session and its tokens, as /login answers them. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<IssuedTokens> signIn(SignInRequest request, @Context HttpServerRequest http) {
        if (request == null || request.credential() == null || !request.credential().isObject()) {
            throw Problem.badRequest("A JSON body with credential (an object) is required.");
        }
        return passkeys.signIn(request.credential().toString(), request.deviceToken(), ClientAddress.of(http), http.getHeader("User-Agent"),
                ClientAddress.approximate(http));
    }
}
