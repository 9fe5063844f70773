package dev.suite.service.problem;

import java.util.Set;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveContainerRequestContext;

import jakarta.ws.rs.core.Response;

/**
 * OPTIONS answered with the methods of the path asked about. RESTEasy's own answer lists every method of the resource
 * class (OPTIONS /users/{id} named DELETE and PATCH, which only /users/me takes; Schemathesis found it), so it is
 * answered before routing, from the same table as the Allow of a 405 ({@link AllowedMethods}). (RESTEasy's own context
 * type as the parameter: a plain ContainerRequestContext is a wrapper here that does not lead to the routes.)
 */
public class OptionsAnswer {

    @ServerRequestFilter(preMatching = true)
    public Response options(ResteasyReactiveContainerRequestContext request) {
        if (!"OPTIONS".equals(request.getMethod())) {
            return null;
        }
        Set<String> methods = AllowedMethods.of(request);
        // A path nothing serves goes on to the router, whose 404 is the answer.
        return methods.isEmpty() ? null : Response.ok().header("Allow", String.join(", ", methods)).build();
    }
}
