package dev.suite.auth.factor;

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

    public record SecondStepRequest(String challenge, String code) {
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
        if (request == null || request.challenge() == null || request.code() == null) {
            throw Problem.badRequest("A JSON body with challenge and code is required.");
        }
        return secondStep.complete(request.challenge(), request.code(), ClientAddress.of(http), http.getHeader("User-Agent"),
                ClientAddress.approximate(http));
    }
}
