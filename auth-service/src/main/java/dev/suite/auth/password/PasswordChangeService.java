package dev.suite.auth.password;

import java.util.UUID;

import dev.suite.auth.account.Account;
import dev.suite.auth.account.AccountRepository;
import dev.suite.auth.audit.AuditLog;
import dev.suite.problem.Problem;
import dev.suite.auth.session.SessionService;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** A signed-in user replaces their password; every other session of theirs ends. */
@ApplicationScoped
public class PasswordChangeService {

    private final AccountRepository accounts;
    private final PasswordPolicy policy;
    private final PasswordHashing hashing;
    private final SessionService sessions;
    private final AuditLog audit;

    PasswordChangeService(AccountRepository accounts, PasswordPolicy policy, PasswordHashing hashing,
            SessionService sessions, AuditLog audit) {
        this.accounts = accounts;
        this.policy = policy;
        this.hashing = hashing;
        this.sessions = sessions;
        this.audit = audit;
    }

    public Uni<Void> change(UUID accountId, UUID sessionId, String currentPassword, String newPassword, String clientIp) {
        if (currentPassword == null || currentPassword.isEmpty()) {
            return Uni.createFrom().failure(Problem.badRequest("currentPassword is required."));
        }
        return Panache.withSession(() -> accounts.findById(accountId)).chain(account -> {
            if (account == null) {
                return Uni.createFrom().failure(Problem.unauthorized("The account no longer exists."));
            }
            return policy.check(newPassword, account.email, account.displayName)
                    .chain(() -> hashing.verify(currentPassword, account.passwordHash)).chain(verification -> {
                if (!verification.matches()) {
                    return Uni.createFrom().failure(new Problem(403, "Forbidden", "The current password is incorrect."));
                }
                return hashing.hash(newPassword).chain(hash -> Panache.withTransaction(() ->
                        Account.update("passwordHash = ?1, updatedAt = current_timestamp where id = ?2", hash, accountId)
                                .chain(() -> audit.record(AuditLog.Type.PASSWORD_CHANGED, accountId, sessionId, clientIp, null))
                                .chain(() -> sessions.revokeAll(accountId, sessionId, "password-change", clientIp))));
            });
        });
    }
}
