package dev.suite.service.problem;

import java.util.Set;
import java.util.TreeSet;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import dev.suite.problem.Problem;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.smallrye.mutiny.CompositeException;
import io.vertx.core.json.DecodeException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;

/**
 * The service's one error mapper: every error is application/problem+json with status, title and detail;
 * unexpected ones get a generic detail and a correlation id that is also in the log. No class names, no
 * stack traces, nothing the client sent is echoed back. It maps every exception of the application it is in,
 * so it lives here, in what only the suite's own services depend on, never in token-guard's dependencies: another
 * team's service that verifies tokens with token-guard keeps its own 404s and mappers.
 */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    @ServerExceptionMapper
    public Response problem(Problem problem) {
        Response.ResponseBuilder response = Response.status(problem.status()).type("application/problem+json").entity(problem.toJson());
        problem.headers().forEach(response::header);
        return response.build();
    }

    @ServerExceptionMapper({ JacksonException.class, MismatchedInputException.class, DecodeException.class })
    public Response unreadableJson(Exception e) {
        return problem(jsonProblem(e));
    }

    /**
     * Not JSON at all, or JSON of the wrong shape. A body cut short reaches Jackson's data binding as a
     * MismatchedInputException ("end-of-input"), the same type as a wrong field type, so the message tells them apart.
     * (MismatchedInputException by name too: quarkus-rest-jackson has a built-in mapper for it that answers a bare 400.)
     */
    static Problem jsonProblem(Throwable e) {
        boolean cutShort = e instanceof MismatchedInputException && String.valueOf(e.getMessage()).contains("end-of-input");
        return e instanceof JsonParseException || e instanceof DecodeException || cutShort ? Problem.malformedJson() : Problem.unexpectedJson();
    }

    @ServerExceptionMapper({ AuthenticationFailedException.class, UnauthorizedException.class })
    public Response unauthorized(RuntimeException e) {
        return problem(Problem.notSignedIn());
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return problem(new Problem(403, "Forbidden", "This action is not allowed for the caller."));
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, ContainerRequestContext request) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return unexpected(e);
        }
        if (status == 400 && (e.getCause() instanceof JacksonException || e.getCause() instanceof DecodeException)) {
            return problem(jsonProblem(e.getCause())); // RESTEasy wraps what its JSON reader threw
        }
        return problem(switch (status) {
            case 404 -> Problem.notFound();
            case 405 -> Problem.methodNotAllowed(allowed(e.getResponse(), request));
            case 406 -> Problem.notAcceptable();
            case 415 -> Problem.unsupportedMediaType();
            default -> new Problem(status, e.getResponse().getStatusInfo().getReasonPhrase(), "The request cannot be served as sent.");
        });
    }

    /** The methods the path takes: from the Allow header of the 405 when it has one, else from RESTEasy's routes. */
    private static String allowed(Response response, ContainerRequestContext request) {
        Set<String> methods = response.getAllowedMethods().isEmpty() ? AllowedMethods.of(request) : new TreeSet<>(response.getAllowedMethods());
        return methods.isEmpty() ? null : String.join(", ", methods);
    }

    /**
     * Two failures at once, as Mutiny reports a failure whose handler failed too ({@code onFailure().call(...)}: the
     * login's give-back of a guess the hashing pool refused, when Redis did not answer in time). The answer is the
     * first, the request's own; the second is the clean-up that could not run. Without this, a 429 became a 500.
     */
    @ServerExceptionMapper
    public Response composite(CompositeException e) {
        Throwable first = e.getCauses().isEmpty() ? e : e.getCauses().get(0);
        LOG.debugf("Answering the first of %d failures: %s", e.getCauses().size(), e.getMessage());
        // Not a problem of ours: a connection lost in any of them makes it a 503 (the composite carries them all).
        return first instanceof Problem problem ? problem(problem) : unexpected(e);
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
