package dev.suite.problem;

import io.vertx.core.http.HttpServerResponse;

/** Writes a {@link Problem} from a Vert.x route: the same body and headers as the services' JAX-RS mapper gives. */
public final class ProblemResponses {

    private ProblemResponses() {
    }

    public static void write(HttpServerResponse response, Problem problem) {
        if (response.ended()) {
            return;
        }
        problem.headers().forEach(response::putHeader);
        response.setStatusCode(problem.status()).putHeader("Content-Type", "application/problem+json").end(problem.toJson());
    }
}
