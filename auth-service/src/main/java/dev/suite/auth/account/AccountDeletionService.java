package dev.suite.auth.account;

import java.util.UUID;

import dev.suite.auth.audit.AuditLog;
import dev.suite.auth.factor.RecentSecondFactor;
import dev.suite.auth.mail.MailKind;
import dev.suite.auth.mail.MailOutbox;
import dev.suite.auth.password.PasswordCheck;
import dev.suite.auth.session.SessionService;
import dev.suite.auth.throttle.Guesser;
import dev.suite.problem.Problem;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Deletes an account once its owner re-entered the password (checked like a login, throttled per session):
 * a stolen session alone cannot destroy the account. Revokes every session, then deletes the account with its
 * sessions and refresh tokens, in one transaction that applies only to the password hash just verified.
 * An account already gone is a success, so the user service can retry after any failure.
 */
@ApplicationScoped
public class AccountDeletionService {

    private final AccountRepository accounts;
    private final PasswordCheck passwords;
    private final SessionService sessions;
    private final AuditLog audit;
    private final MailOutbox outbox;
    private final RecentSecondFactor stepUp;

    AccountDeletionService(AccountRepository accounts, PasswordCheck passwords, SessionService sessions, AuditLog audit, MailOutbox outbox,
            RecentSecondFactor stepUp) {
        this.stepUp = stepUp;
        this.outbox = outbox;
        this.accounts = accounts;
        this.passwords = passwords;
        this.sessions = sessions;
        this.audit = audit;
    }

    public Uni<Void> delete(UUID accountId, UUID sessionId, String currentPassword, String caller) {
        if (currentPassword == null || currentPassword.isEmpty() || sessionId == null) {
            return Uni.createFrom().failure(Problem.badRequest("currentPassword is required to delete the account."));
        }
        return Panache.withSession(() -> accounts.findById(accountId)).chain(account -> {
            if (account == null) {
                return Uni.createFrom().voidItem();
            }
            String verifiedHash = account.passwordHash;
            // Step-up first (issue 22 item 5), as for a password change: an account with a second factor is deleted only
            // by a session that signed in with it recently, so a password and a session left open do not suffice.
            return stepUp.requireIfFactor(accountId, sessionId).chain(() -> passwords.verify(Guesser.session(sessionId.toString(), account.email), currentPassword, verifiedHash).chain(verification -> {
                if (!verification.matches()) {
                    return Uni.createFrom().failure(new Problem(403, "Forbidden", "The current password is incorrect."));
                }
                return Panache.withTransaction(() -> accounts.lockedWithHash(accountId, verifiedHash).chain(locked -> locked == null
                        ? Uni.createFrom().failure(new Problem(409, "Conflict", "The password was changed meanwhile; try again."))
                        : sessions.revokeAll(accountId, null, "account-deleted", null)
                                .chain(() -> accounts.deleteById(accountId))
                                .chain(() -> audit.record(AuditLog.Type.ACCOUNT_DELETED, accountId, sessionId, null, caller))
                                // The notice names no account (the row is gone, and its pending mail with it).
                                .chain(() -> outbox.enqueue(MailKind.ACCOUNT_DELETED, locked.email, null, null))));
            }));
        }).invoke(outbox::soon);
    }
}
