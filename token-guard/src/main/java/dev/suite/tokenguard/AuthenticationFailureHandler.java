package dev.suite.tokenguard;

import dev.suite.problem.Problem;
import dev.suite.problem.ProblemResponses;

import org.jboss.logging.Logger;

import io.quarkus.security.AuthenticationFailedException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Authentication failures as problem+json with nothing about the token in them: 401 for any invalid token,
 * 503 when revocation could not be checked or the keys could not be fetched (fail closed).
 */
@ApplicationScoped
public class AuthenticationFailureHandler {

    private static final Logger LOG = Logger.getLogger(AuthenticationFailureHandler.class);

    void register(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(this::handle);
    }

    private void handle(RoutingContext context) {
        Throwable failure = context.failure();
        while (failure != null && !(failure instanceof RevocationUnavailableException) && !(failure instanceof KeysUnavailableException)
                && !(failure instanceof AuthenticationFailedException) && failure.getCause() != failure) {
            failure = failure.getCause();
        }
        if (failure instanceof RevocationUnavailableException unavailable) {
            LOG.warnf("Failing closed with 503: %s", unavailable.reason());
            ProblemResponses.write(context.response(), unavailable);
        } else if (failure instanceof KeysUnavailableException unavailable) {
            LOG.warnf("Failing closed with 503: %s", unavailable.reason());
            ProblemResponses.write(context.response(), unavailable);
        } else if (failure instanceof AuthenticationFailedException) {
            ProblemResponses.write(context.response(), Problem.notSignedIn());
        } else {
            context.next();
        }
    }
}
