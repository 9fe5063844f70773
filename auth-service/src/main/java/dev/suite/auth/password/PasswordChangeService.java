package dev.suite.auth.password;

import java.util.UUID;

import dev.suite.auth.account.AccountRepository;
import dev.suite.auth.audit.AuditLog;
import dev.suite.auth.mail.MailKind;
import dev.suite.auth.mail.MailOutbox;
import dev.suite.auth.session.SessionService;
import dev.suite.auth.throttle.Guesser;
import dev.suite.problem.Problem;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * A signed-in user replaces their password; every other session of theirs ends. The current password is checked
 * like a login (throttled per session before any hashing), and the change applies only to the hash that check
 * verified, so two changes (or a change and a sign-in) racing each other cannot both win. A live reset link dies with
 * the old password (it is bound to the hash it may replace), and the owner gets a notice by mail.
 */
@ApplicationScoped
public class PasswordChangeService {

    private final AccountRepository accounts;
    private final PasswordPolicy policy;
    private final PasswordCheck passwords;
    private final PasswordHashing hashing;
    private final SessionService sessions;
    private final AuditLog audit;
    private final MailOutbox outbox;

    PasswordChangeService(AccountRepository accounts, PasswordPolicy policy, PasswordCheck passwords, PasswordHashing hashing,
            SessionService sessions, AuditLog audit, MailOutbox outbox) {
        this.outbox = outbox;
        this.accounts = accounts;
        this.policy = policy;
        this.passwords = passwords;
        this.hashing = hashing;
        this.sessions = sessions;
        this.audit = audit;
    }

    public Uni<Void> change(UUID accountId, UUID sessionId, String currentPassword, String newPassword, String clientKey) {
        if (currentPassword == null || currentPassword.isEmpty()) {
            return Uni.createFrom().failure(Problem.badRequest("currentPassword is required."));
        }
        return Panache.withSession(() -> accounts.findById(accountId)).chain(account -> {
            if (account == null) {
                return Uni.createFrom().failure(Problem.unauthorized("The account no longer exists."));
            }
            Guesser guesser = Guesser.session(sessionId.toString(), account.email);
            if (currentPassword.equals(newPassword)) {
                return Uni.createFrom().failure(Problem.badRequest("newPassword must differ from the current password."));
            }
            String verifiedHash = account.passwordHash;
            // The throttled check first: a locked session must not buy pool time with the strength estimate.
            return passwords.verify(guesser, currentPassword, verifiedHash).chain(verification -> {
                if (!verification.matches()) {
                    return Uni.createFrom().failure(new Problem(403, "Forbidden", "The current password is incorrect."));
                }
                return policy.check(newPassword, account.email, account.displayName, guesser.hashingOwners())
                        .chain(() -> hashing.hash(newPassword, guesser.hashingOwners())).chain(hash -> Panache.withTransaction(() ->
                        accounts.lockedWithHash(accountId, verifiedHash).chain(locked -> {
                            if (locked == null) {
                                return Uni.createFrom().failure(new Problem(409, "Conflict",
                                        "The password was changed meanwhile; sign in again with the new one."));
                            }
                            return accounts.replacePasswordByOwner(accountId, hash)
                                    .chain(() -> audit.record(AuditLog.Type.PASSWORD_CHANGED, accountId, sessionId, clientKey, null))
                                    .chain(() -> sessions.revokeAll(accountId, sessionId, "password-change", clientKey))
                                    // The owner hears of it by mail, where a thief who changed it cannot stop the news.
                                    .chain(() -> outbox.enqueue(MailKind.PASSWORD_CHANGED, locked.email, accountId, clientKey));
                        })));
            });
        }).invoke(outbox::soon);
    }
}
