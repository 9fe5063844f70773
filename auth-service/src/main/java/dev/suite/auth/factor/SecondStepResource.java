package dev.suite.auth.factor;

import com.fasterxml.jackson.databind.JsonNode;

import dev.suite.auth.session.IssuedTokens;
import dev.suite.client.ClientAddress;
import dev.suite.problem.Problem;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;

@Path("/login/second-factor")
public class SecondStepResource {

    /** {@code code} (TOTP or recovery) or {@code passkey} (the browser's PublicKeyCredential, its toJSON()): one of them. */
    public record SecondStepRequest(String challenge, String code, JsonNode passkey) {
        @Override
        public String toString() {
            return "SecondStepRequest[...]"; // never the challenge or the code
        }
    }

    private final SecondStep secondStep;

    SecondStepResource(SecondStep secondStep) {
        this.secondStep = secondStep;
    }

    /** The challenge of a 202 from /login and a code: the session and its tokens, as /login answers them. */
    @POST
    public Uni<IssuedTokens> complete(SecondStepRequest request, @Context HttpServerRequest http) {
        if (request == null || request.challenge() == null || (request.code() == null) == (request.passkey() == null)
                || (request.passkey() != null && !request.passkey().isObject())) {
            throw Problem.badRequest("A JSON body with challenge and either code or passkey (an object) is required.");
        }
        if (request.passkey() != null) {
            return secondStep.completeWithPasskey(request.challenge(), request.passkey().toString(), ClientAddress.of(http),
                    http.getHeader("User-Agent"), ClientAddress.approximate(http));
        }
        return secondStep.complete(request.challenge(), request.code(), ClientAddress.of(http), http.getHeader("User-Agent"),
                ClientAddress.approximate(http));
    }
}
