package dev.suite.problem;

import java.util.UUID;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
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
        Response.ResponseBuilder response = body(problem.status(), problem.title(), problem.getMessage());
        problem.headers().forEach(response::header);
        return response.build();
    }

    // MismatchedInputException by name too: quarkus-rest-jackson has a built-in mapper for it that answers a bare 400.
    @ServerExceptionMapper({ JacksonException.class, MismatchedInputException.class, DecodeException.class })
    public Response unreadableJson(Exception e) {
        return body(400, "Bad Request", "The request body is not the JSON this endpoint expects.").build();
    }

    @ServerExceptionMapper({ AuthenticationFailedException.class, UnauthorizedException.class })
    public Response unauthorized(RuntimeException e) {
        return body(401, "Unauthorized", "A valid access token is required.").header("WWW-Authenticate", "Bearer").build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return body(403, "Forbidden", "This action is not allowed for the caller.").build();
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return unexpected(e);
        }
        return body(status, e.getResponse().getStatusInfo().getReasonPhrase(), "The request cannot be served as sent.").build();
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        if (BackendUnavailable.causedBy(e)) {
            LOG.warnf("A backing server is unavailable: %s", e.getClass().getName());
            return body(503, "Service Unavailable", "A backing service is unavailable; try again shortly.")
                    .header("Retry-After", "1").build();
        }
        String correlationId = UUID.randomUUID().toString();
        LOG.errorf(e, "Unexpected error [correlation-id=%s]", correlationId);
        return body(500, "Internal Server Error", "Something went wrong on our side.")
                .entity(new JsonObject().put("status", 500).put("title", "Internal Server Error")
                        .put("detail", "Something went wrong on our side.").put("correlationId", correlationId).encode())
                .build();
    }

    public static Response.ResponseBuilder body(int status, String title, String detail) {
        return Response.status(status).type("application/problem+json").entity(json(status, title, detail));
    }

    static String json(int status, String title, String detail) {
        return new JsonObject().put("status", status).put("title", title).put("detail", detail).encode();
    }
}
