package dev.suite.gateway.screening;

import dev.suite.problem.Problem;
import dev.suite.problem.ProblemResponses;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;

/**
 * How a screen turns a request away: a problem+json answer, and on HTTP/1.x the connection closed after it, because
 * a request we refuse for its framing or protocol may have left bytes behind that must never be read as a request.
 */
final class Refusal {

    private Refusal() {
    }

    /** Refuses and closes an HTTP/1.x connection: for requests whose framing or protocol cannot be trusted. */
    static void send(RoutingContext ctx, Problem problem) {
        HttpServerRequest request = ctx.request();
        boolean http1 = request.version() != HttpVersion.HTTP_2;
        if (http1) {
            ctx.response().putHeader("Connection", "close");
        }
        answer(ctx, problem);
        if (http1) {
            // At once, not when the answer is written: by then Vert.x may have taken up a pipelined request.
            request.connection().close();
        }
    }

    /** Refuses this request only; the connection may carry the next one. */
    static void answer(RoutingContext ctx, Problem problem) {
        ProblemResponses.write(ctx.response(), problem);
    }
}
