package dev.suite.auth.admin;

import java.util.List;
import java.util.UUID;

import dev.suite.auth.audit.AuditPage;
import dev.suite.auth.audit.AuditQuery;
import dev.suite.auth.audit.AuditTrail;
import dev.suite.auth.session.SessionView;
import dev.suite.auth.factor.RecentSecondFactor;
import dev.suite.client.ClientAddress;
import dev.suite.problem.Problem;
import dev.suite.tokenguard.TokenIdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Admin: accounts. Find by email, look at one (its sessions, its recent audit events), lock and unlock it, grant and
 * remove its admin role, reset its second factors. Every route needs the admin group in a token that token-guard verified, as the other admin
 * resources do; an id that is not a UUID is the unknown account's 404.
 */
@Path("/admin/accounts")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
public class AdminAccountResource {

    private final AccountAdministration administration;
    private final AuditTrail trail;
    private final SecurityIdentity identity;
    private final RecentSecondFactor stepUp;

    AdminAccountResource(AccountAdministration administration, AuditTrail trail, SecurityIdentity identity, RecentSecondFactor stepUp) {
        this.administration = administration;
        this.trail = trail;
        this.identity = identity;
        this.stepUp = stepUp;
    }

    @GET
    public Uni<AccountPage> find(@QueryParam("email") String email, @QueryParam("match") String match,
            @QueryParam("after") String after, @QueryParam("size") String size) {
        // As the document says: at least one character above U+0020, at most 320 characters (code points).
        if (email == null || email.trim().isEmpty() || email.codePointCount(0, email.length()) > 320) {
            throw Problem.badRequest("email is required (at most 320 characters).");
        }
        if (match != null && !match.equals("exact") && !match.equals("prefix")) {
            throw Problem.badRequest("match is exact (the default) or prefix.");
        }
        if (AdminQueries.hasControlCharacter(email) || after != null && AdminQueries.hasControlCharacter(after)) {
            throw Problem.badRequest("email and after are text without control characters."); // PostgreSQL refuses NUL
        }
        if (after != null && after.codePointCount(0, after.length()) > 320) {
            throw Problem.badRequest("after is the last email of the previous page.");
        }
        return administration.find(email, "prefix".equals(match), after, AdminQueries.size(size, 20, AccountAdministration.MAX_PAGE));
    }

    @GET
    @Path("{id}")
    public Uni<AdminAccountView> view(@PathParam("id") String id) {
        return administration.view(AdminQueries.accountId(id));
    }

    @GET
    @Path("{id}/sessions")
    public Uni<List<SessionView>> sessions(@PathParam("id") String id) {
        return administration.sessionsOf(AdminQueries.accountId(id));
    }

    /** The account's most recent audit events; older ones through /admin/audit-events?account=...&before=... */
    @GET
    @Path("{id}/events")
    public Uni<AuditPage> events(@PathParam("id") String id) {
        UUID account = AdminQueries.accountId(id);
        return administration.view(account).chain(exists -> trail.page(AuditQuery.recentOf(account)));
    }

    @POST
    @Path("{id}/lock")
    public Uni<Response> lock(@PathParam("id") String id, @Context HttpServerRequest http) {
        return steppedUp().chain(() -> administration.lock(actor(), AdminQueries.accountId(id), ClientAddress.of(http)))
                .map(ignored -> Response.noContent().build());
    }

    @POST
    @Path("{id}/unlock")
    public Uni<Response> unlock(@PathParam("id") String id, @Context HttpServerRequest http) {
        return steppedUp().chain(() -> administration.unlock(actor(), AdminQueries.accountId(id), ClientAddress.of(http)))
                .map(ignored -> Response.noContent().build());
    }

    @PUT
    @Path("{id}/roles/admin")
    public Uni<Response> grantAdmin(@PathParam("id") String id, @Context HttpServerRequest http) {
        return steppedUp().chain(() -> administration.grantAdmin(actor(), AdminQueries.accountId(id), ClientAddress.of(http)))
                .map(ignored -> Response.noContent().build());
    }

    @DELETE
    @Path("{id}/roles/admin")
    public Uni<Response> removeAdmin(@PathParam("id") String id, @Context HttpServerRequest http) {
        return steppedUp().chain(() -> administration.removeAdmin(actor(), AdminQueries.accountId(id), ClientAddress.of(http)))
                .map(ignored -> Response.noContent().build());
    }

    /**
     * Admin-assisted recovery: every second factor of the account goes (the owner lost them all); audited, the owner
     * told. The admin must have signed in with a second factor of their own within the step-up window, whether or not
     * the other admin routes ask it of them: an admin with a password alone removes nobody's factors.
     */
    @DELETE
    @Path("{id}/second-factors")
    public Uni<Response> resetSecondFactors(@PathParam("id") String id, @Context HttpServerRequest http) {
        return stepUp.requireWithSecondFactor(TokenIdentityProvider.tokenOf(identity)).chain(() -> administration.resetSecondFactors(actor(), AdminQueries.accountId(id), ClientAddress.of(http)))
                .map(ignored -> Response.noContent().build());
    }

    /**
     * Every change to an account (step-up, issue 23 item 3): an admin with a second factor signed in with it within the
     * step-up window (RecentSecondFactor; 403 insufficient_user_authentication otherwise). The reads need no more.
     */
    private Uni<Void> steppedUp() {
        return stepUp.requireIfFactor(TokenIdentityProvider.tokenOf(identity));
    }

    private UUID actor() {
        return UUID.fromString(TokenIdentityProvider.tokenOf(identity).subject());
    }
}
