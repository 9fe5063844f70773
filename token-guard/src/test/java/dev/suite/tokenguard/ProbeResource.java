package dev.suite.tokenguard;

import java.util.Map;
import java.util.TreeSet;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/** A test-only endpoint: shows what token-guard put into the SecurityIdentity. */
@Path("/probe")
public class ProbeResource {

    private final SecurityIdentity identity;

    ProbeResource(SecurityIdentity identity) {
        this.identity = identity;
    }

    @GET
    @Authenticated
    public Map<String, Object> whoAmI() {
        VerifiedToken token = TokenIdentityProvider.tokenOf(identity);
        return Map.of("sub", identity.getPrincipal().getName(), "sid", String.valueOf(token.sessionId()),
                "typ", token.type(), "groups", new TreeSet<>(identity.getRoles()));
    }

    @GET
    @Path("/admin")
    @RolesAllowed("admin")
    public String adminOnly() {
        return "admin";
    }

    @GET
    @Path("/public")
    public String anonymousAllowed() {
        return "public";
    }

    /** A sensitive action: a sign-in with a second factor in the last 5 minutes (the step-up annotation). */
    @GET
    @Path("/step-up")
    @Authenticated
    @RecentSignIn(maxAge = "PT5M", secondFactor = true)
    public String stepUp() {
        return "stepped up";
    }

    /** The application renders what StepUp throws as it renders its own problems (the suite: service-runtime's mapper). */
    @org.jboss.resteasy.reactive.server.ServerExceptionMapper
    public jakarta.ws.rs.core.Response problem(dev.suite.problem.Problem problem) {
        jakarta.ws.rs.core.Response.ResponseBuilder answer = jakarta.ws.rs.core.Response.status(problem.status())
                .type("application/problem+json").entity(problem.toJson());
        problem.headers().forEach(answer::header);
        return answer.build();
    }

    /** A bug of the application's own: what answers it is the application's business, not token-guard's. */
    @GET
    @Path("/broken")
    public String broken() {
        throw new IllegalStateException("the probe's own failure");
    }
}
