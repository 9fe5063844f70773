package dev.suite.problem;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.json.DecodeException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

/**
 * The service's one error mapper: every error is application/problem+json with status, title and detail;
 * unexpected ones get a generic detail and a correlation id that is also in the log. No class names, no
 * stack traces, nothing the client sent is echoed back.
 */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    @ServerExceptionMapper
    public Response problem(Problem problem) {
        Response.ResponseBuilder response = Response.status(problem.status()).type("application/problem+json").entity(problem.toJson());
        problem.headers().forEach(response::header);
        return response.build();
    }

    // MismatchedInputException by name too: quarkus-rest-jackson has a built-in mapper for it that answers a bare 400.
    @ServerExceptionMapper({ JacksonException.class, MismatchedInputException.class, DecodeException.class })
    public Response unreadableJson(Exception e) {
        return problem(Problem.badRequest("The request body is not the JSON this endpoint expects."));
    }

    @ServerExceptionMapper({ AuthenticationFailedException.class, UnauthorizedException.class })
    public Response unauthorized(RuntimeException e) {
        return problem(Problem.unauthorized("A valid access token is required."));
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return problem(new Problem(403, "Forbidden", "This action is not allowed for the caller."));
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return unexpected(e);
        }
        return problem(new Problem(status, e.getResponse().getStatusInfo().getReasonPhrase(), "The request cannot be served as sent."));
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        if (BackendUnavailable.causedBy(e)) {
            LOG.warnf("A backing server is unavailable: %s", e.getClass().getName());
            return problem(Problem.unavailable("A backing service is unavailable; try again shortly."));
        }
        return problem(Problem.unexpected(e));
    }
}
