package dev.suite.auth.reset;

import java.time.Instant;

import dev.suite.auth.account.Account;
import dev.suite.auth.account.AccountRepository;
import dev.suite.auth.account.EmailAddress;
import dev.suite.auth.audit.AuditLog;
import dev.suite.auth.factor.FactorRepository;
import dev.suite.auth.mail.MailKind;
import dev.suite.auth.mail.MailOutbox;
import dev.suite.auth.password.PasswordHashing;
import dev.suite.auth.password.PasswordPolicy;
import dev.suite.auth.session.SessionService;
import dev.suite.auth.throttle.GuessThrottle;
import dev.suite.auth.throttle.Guesser;
import dev.suite.problem.Problem;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

/**
 * Password reset by email (OWASP's Forgot Password cheat sheet). A request never looks at the accounts: it is
 * throttled per client and leaves a row in the mail outbox, one statement whoever the address belongs to; the outbox
 * finds out later whether anybody has it. So the answer, and the work before it, are the same for every address. A
 * request deletes nothing: a newer link replaces the older one when its mail is sent (one token per account), so a
 * flood of requests for somebody's address, once the address has had its share of mails, cannot kill the link its
 * owner holds. A confirmation names no account: the
 * token alone does, and it works once, within its lifetime, while the password is still the one it was issued
 * against. The new password meets the same policy as any other; the reset ends every session and signs nobody in.
 */
@ApplicationScoped
public class PasswordResetService {

    static final String INVALID = "This reset link does not work (any more): it may have expired, been used, or been replaced "
            + "by a newer one. Ask for a new link.";

    private record Found(Account account, PasswordResetToken token) {
    }

    private final GuessThrottle throttle;
    private final AccountRepository accounts;
    private final PasswordPolicy policy;
    private final PasswordHashing hashing;
    private final SessionService sessions;
    private final AuditLog audit;
    private final MailOutbox outbox;
    private final FactorRepository factors;

    PasswordResetService(GuessThrottle throttle, AccountRepository accounts, PasswordPolicy policy, PasswordHashing hashing,
            SessionService sessions, AuditLog audit, MailOutbox outbox, FactorRepository factors) {
        this.factors = factors;
        this.throttle = throttle;
        this.accounts = accounts;
        this.policy = policy;
        this.hashing = hashing;
        this.sessions = sessions;
        this.audit = audit;
        this.outbox = outbox;
    }

    public Uni<Void> request(String rawEmail, String clientKey) {
        String email = EmailAddress.normalise(rawEmail);
        return throttle.begin(Guesser.resetRequester(clientKey))
                .chain(() -> Panache.withTransaction(() -> outbox.enqueue(MailKind.PASSWORD_RESET_LINK, email, null, clientKey)))
                .invoke(outbox::soon);
    }

    public Uni<Void> confirm(String token, String newPassword, String clientKey) {
        if (newPassword == null || newPassword.isEmpty()) {
            return Uni.createFrom().failure(Problem.badRequest("newPassword is required."));
        }
        Guesser guesser = Guesser.resetTokenHolder(clientKey);
        return throttle.begin(guesser).chain(() -> Panache.withSession(() -> live(token))).chain(found -> {
            if (found == null) {
                return Uni.createFrom().failure(Problem.badRequest(INVALID));
            }
            Account account = found.account();
            return throttle.succeeded(guesser)
                    .chain(() -> policy.check(newPassword, account.email, account.displayName, guesser.hashingOwners()))
                    .chain(() -> hashing.hash(newPassword, guesser.hashingOwners()))
                    .chain(hash -> Panache.withTransaction(() -> replace(found, hash, clientKey)));
        }).invoke(outbox::soon);
    }

    /**
     * Applies the reset only if, under row locks, the token is still there and the password still the one it was
     * checked against: two confirmations of one token, or a password change racing the reset, let one win.
     */
    private Uni<Void> replace(Found found, String hash, String clientKey) {
        Account account = found.account();
        return PasswordResetToken.<PasswordResetToken>find("tokenHash", found.token().tokenHash)
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResult()
                .chain(token -> token == null ? Uni.createFrom().<Account>nullItem() : accounts.lockedWithHash(account.id, account.passwordHash))
                .chain(locked -> {
                    if (locked == null) {
                        return Uni.createFrom().failure(Problem.badRequest(INVALID));
                    }
                    // The owner's own choice, from the address's mailbox: it also lifts a required change (a first admin
                    // who resets by mail is not held to the password-change-only session afterwards).
                    return PasswordResetToken.deleteById(account.id)
                            .chain(() -> accounts.replacePasswordByOwner(account.id, hash))
                            .chain(() -> audit.record(AuditLog.Type.PASSWORD_RESET, account.id, null, clientKey, null))
                            .chain(() -> sessions.revokeAll(account.id, null, "password-reset", clientKey))
                            // An intruder who added a passkey must not sign in with it alone after the owner's reset:
                            // each passkey now needs the new password first (review of issue 22, medium).
                            .chain(() -> factors.passkeysNeedThePassword(account.id))
                            .chain(() -> outbox.enqueue(MailKind.PASSWORD_RESET_DONE, locked.email, account.id, clientKey));
                });
    }

    /** The token's row and account if the token is live: known, not expired, and its password unchanged since. */
    private Uni<Found> live(String token) {
        if (token == null || token.length() != ResetTokens.TOKEN_LENGTH) {
            return Uni.createFrom().nullItem();
        }
        return PasswordResetToken.<PasswordResetToken>find("tokenHash", ResetTokens.sha256(token)).firstResult().chain(row -> {
            if (row == null || !row.expiresAt.isAfter(Instant.now())) {
                return Uni.createFrom().nullItem();
            }
            return accounts.findById(row.accountId).map(account -> account != null
                    && ResetTokens.sha256(account.passwordHash).equals(row.passwordHashDigest) ? new Found(account, row) : null);
        });
    }
}
