package dev.suite.service.problem;

import java.util.Set;
import java.util.TreeSet;

import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.handlers.ClassRoutingHandler;
import org.jboss.resteasy.reactive.server.handlers.RestInitialHandler.InitialMatch;
import org.jboss.resteasy.reactive.server.mapping.RequestMapper;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveContainerRequestContext;
import org.jboss.resteasy.reactive.server.spi.ServerRestHandler;

import jakarta.ws.rs.container.ContainerRequestContext;

/**
 * The methods a path takes, for the Allow header that RFC 9110 requires on every 405 and for OPTIONS. RESTEasy Reactive
 * throws its 405 without them and answers OPTIONS with every method of the resource class (Schemathesis found both), so
 * they are asked of the routing table RESTEasy matches paths with: every resource class whose path matches, and the
 * methods of its sub-paths that match the rest.
 */
final class AllowedMethods {

    private AllowedMethods() {
    }

    /** The methods, sorted, or empty when the request is not one RESTEasy routed (then no Allow is made up). */
    static Set<String> of(ContainerRequestContext context) {
        Set<String> methods = new TreeSet<>();
        if (!(context instanceof ResteasyReactiveContainerRequestContext container)
                || !(container.getServerRequestContext() instanceof ResteasyReactiveRequestContext request)) {
            return methods;
        }
        String path = request.getPathWithoutPrefix();
        RequestMapper<InitialMatch> classes = new RequestMapper<>(request.getDeployment().getClassMappers());
        for (RequestMapper.RequestMatch<InitialMatch> match = classes.map(path); match != null;
                match = classes.continueMatching(path, match)) {
            String remaining = match.remaining.isEmpty() ? "/" : match.remaining;
            for (ServerRestHandler handler : match.value.handlers) {
                if (handler instanceof ClassRoutingHandler routing) {
                    routing.getMappers().forEach((method, mapper) -> {
                        if (method != null && mapper.map(remaining) != null) {
                            methods.add(method);
                        }
                    });
                }
            }
        }
        if (!methods.isEmpty()) {
            methods.add("OPTIONS"); // RESTEasy answers OPTIONS for every path it routes
            if (methods.contains("GET")) {
                methods.add("HEAD");
            }
        }
        return methods;
    }
}
