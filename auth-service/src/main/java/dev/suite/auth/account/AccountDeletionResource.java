package dev.suite.auth.account;

import java.util.UUID;

import dev.suite.auth.audit.AuditLog;
import dev.suite.problem.Problem;
import dev.suite.auth.session.SessionService;
import dev.suite.tokenguard.TokenIdentityProvider;
import dev.suite.tokenguard.VerifiedToken;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

/**
 * Account deletion, called by the user service (with its service token) as part of DELETE /users/me.
 * Revokes every session, then deletes the account with its sessions and refresh tokens. Idempotent, so the
 * user service can retry after any failure.
 */
@Path("/internal/accounts/{id}")
public class AccountDeletionResource {

    static final String ALLOWED_CALLER = "user-service";

    private final AccountRepository accounts;
    private final SessionService sessions;
    private final AuditLog audit;
    private final SecurityIdentity identity;

    AccountDeletionResource(AccountRepository accounts, SessionService sessions, AuditLog audit, SecurityIdentity identity) {
        this.accounts = accounts;
        this.sessions = sessions;
        this.audit = audit;
        this.identity = identity;
    }

    @DELETE
    @RolesAllowed("service")
    public Uni<Response> delete(@PathParam("id") UUID id) {
        VerifiedToken caller = TokenIdentityProvider.tokenOf(identity);
        if (!caller.isServiceToken() || !ALLOWED_CALLER.equals(caller.subject())) {
            throw new Problem(403, "Forbidden", "Only the user service deletes accounts.");
        }
        return Panache.withTransaction(() -> sessions.revokeAll(id, null, "account-deleted", null)
                .chain(() -> accounts.deleteById(id))
                .call(deleted -> deleted ? audit.record(AuditLog.Type.ACCOUNT_DELETED, id, null, null, caller.subject())
                        : Uni.createFrom().voidItem()))
                .map(ignored -> Response.noContent().build());
    }
}
