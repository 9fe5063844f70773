package dev.suite.auth.admin;

import java.time.Instant;

import dev.suite.auth.audit.AuditPage;
import dev.suite.auth.audit.AuditQuery;
import dev.suite.auth.audit.AuditTrail;
import dev.suite.problem.Problem;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** Admin: the audit trail, newest first, a page at a time (keyset: {@code before} is the previous page's {@code next}). */
@Path("/admin/audit-events")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
public class AdminAuditResource {

    private final AuditTrail trail;

    AdminAuditResource(AuditTrail trail) {
        this.trail = trail;
    }

    @GET
    public Uni<AuditPage> page(@QueryParam("account") String account, @QueryParam("type") String type,
            @QueryParam("since") String since, @QueryParam("until") String until, @QueryParam("before") String before,
            @QueryParam("size") String size) {
        Instant from = AdminQueries.optionalInstant("since", since);
        Instant to = AdminQueries.optionalInstant("until", until);
        if (from != null && to != null && !from.isBefore(to)) {
            throw Problem.badRequest("since must be before until.");
        }
        return trail.page(new AuditQuery(AdminQueries.optionalId("account", account), AdminQueries.optionalType(type), from, to,
                AdminQueries.optionalPosition("before", before),
                AdminQueries.size(size, AuditQuery.DEFAULT_SIZE, AuditQuery.MAX_SIZE)));
    }
}
