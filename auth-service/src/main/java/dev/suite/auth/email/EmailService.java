package dev.suite.auth.email;

import java.time.Instant;
import java.util.UUID;

import dev.suite.auth.account.Account;
import dev.suite.auth.account.AccountRepository;
import dev.suite.auth.account.EmailAddress;
import dev.suite.auth.audit.AuditLog;
import dev.suite.auth.factor.FactorRepository;
import dev.suite.auth.mail.MailKind;
import dev.suite.auth.mail.MailOutbox;
import dev.suite.auth.password.PasswordCheck;
import dev.suite.auth.reset.PasswordResetToken;
import dev.suite.auth.session.SessionService;
import dev.suite.auth.throttle.GuessThrottle;
import dev.suite.auth.throttle.Guesser;
import dev.suite.problem.Problem;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

/**
 * The account's address: confirming it, changing it, undoing a change. Requests never look at who has an address:
 * each leaves one row in the mail outbox, and EmailLinks decides, when the mail goes out, what it says (a link, a
 * notice to the owner of a taken address, or nothing). A link's token alone names its account; it works once, until
 * it expires, and only while the account is as it was when the link was made (a verify link while the address is the
 * one it proves, a change link while the address is the one the change started from). A change needs the current
 * password (checked like a login, throttled per session) and the new address's confirmation; the old address then gets
 * a notice with an undo link, which gives it back and ends every session.
 */
@ApplicationScoped
public class EmailService {

    static final String INVALID = "This link does not work (any more): it may have expired, been used, or been replaced by a "
            + "newer one. Ask for a new link.";

    /** What the signed-in owner sees of their address. */
    public record Status(String email, boolean verified) {
    }

    private final AccountRepository accounts;
    private final PasswordCheck passwords;
    private final GuessThrottle throttle;
    private final SessionService sessions;
    private final AuditLog audit;
    private final MailOutbox outbox;
    private final FactorRepository factors;

    EmailService(AccountRepository accounts, PasswordCheck passwords, GuessThrottle throttle, SessionService sessions, AuditLog audit,
            MailOutbox outbox, FactorRepository factors) {
        this.factors = factors;
        this.accounts = accounts;
        this.passwords = passwords;
        this.throttle = throttle;
        this.sessions = sessions;
        this.audit = audit;
        this.outbox = outbox;
    }

    public Uni<Status> status(UUID accountId) {
        return Panache.withSession(() -> accounts.findById(accountId)).map(account -> {
            if (account == null) {
                throw Problem.unauthorized("The account no longer exists.");
            }
            return new Status(account.email, account.emailVerified);
        });
    }

    /** "Send the link again": a new confirmation link to the account's address, unless it is confirmed already. */
    public Uni<Void> resendVerification(UUID accountId, String clientKey) {
        return throttle.begin(Guesser.mailRequester(clientKey)).chain(() -> Panache.withTransaction(() -> accounts.findById(accountId)
                .chain(account -> {
                    if (account == null) {
                        return Uni.createFrom().failure(Problem.unauthorized("The account no longer exists."));
                    }
                    return account.emailVerified ? Uni.createFrom().voidItem()
                            : outbox.enqueue(MailKind.EMAIL_VERIFICATION_LINK, account.email, account.id, clientKey);
                }))).invoke(outbox::soon);
    }

    public Uni<Void> confirmVerification(String token, String clientKey) {
        return live(token, EmailToken.VERIFY, clientKey, (found, account) -> account.email.equals(found.email),
                (found, account) -> accounts.update("emailVerified = true, updatedAt = current_timestamp where id = ?1 and email = ?2",
                        account.id, found.email)
                        .chain(() -> EmailToken.delete("accountId = ?1 and purpose = ?2", account.id, EmailToken.VERIFY))
                        .chain(() -> audit.record(AuditLog.Type.EMAIL_VERIFIED, account.id, null, clientKey, null)));
    }

    /**
     * Asks to move the account to {@code rawNewEmail}: the same 202 whether or not that address has an account (whose
     * owner is then told instead, by EmailLinks). Nothing changes until the new address confirms.
     */
    public Uni<Void> requestChange(UUID accountId, UUID sessionId, String currentPassword, String rawNewEmail, String clientKey) {
        if (currentPassword == null || currentPassword.isEmpty()) {
            return Uni.createFrom().failure(Problem.badRequest("currentPassword is required."));
        }
        String newEmail = EmailAddress.normalise(rawNewEmail);
        return Panache.withSession(() -> accounts.findById(accountId)).chain(account -> {
            if (account == null) {
                return Uni.createFrom().failure(Problem.unauthorized("The account no longer exists."));
            }
            // The throttled check first, as for a password change: a stolen session alone cannot move the account.
            return passwords.verify(Guesser.session(sessionId.toString(), account.email), currentPassword, account.passwordHash)
                    .chain(verification -> {
                        if (!verification.matches()) {
                            return Uni.createFrom().failure(new Problem(403, "Forbidden", "The current password is incorrect."));
                        }
                        if (newEmail.equals(account.email)) {
                            return Uni.createFrom().failure(Problem.badRequest("newEmail is already this account's address."));
                        }
                        // The old address's pending confirmation link dies with the request: confirmed only while a
                        // change is pending, by whoever reads it, it would earn that reader the undo link (review).
                        return throttle.begin(Guesser.mailRequester(clientKey)).chain(() -> Panache.withTransaction(() ->
                                EmailToken.delete("accountId = ?1 and purpose = ?2", accountId, EmailToken.VERIFY)
                                        .chain(() -> outbox.enqueue(MailKind.EMAIL_CHANGE_LINK, newEmail, accountId, clientKey))
                                        .chain(() -> audit.record(AuditLog.Type.EMAIL_CHANGE_REQUESTED, accountId, sessionId, clientKey, null))));
                    });
        }).invoke(outbox::soon);
    }

    /**
     * The new address confirms: the account moves to it (confirmed), every link of the old address dies (reset, verify,
     * change), and the old address gets the notice: with its undo link if the owner had confirmed it, without if not
     * (whoever reads an address nobody proved must not be able to take the account). Sessions go on; their next refresh
     * carries the new address.
     */
    public Uni<Void> confirmChange(String token, String clientKey) {
        return live(token, EmailToken.CHANGE, clientKey, (found, account) -> account.email.equals(found.boundEmail),
                (found, account) -> accounts.findByEmail(found.email).chain(holder -> {
                    if (holder != null) {
                        // Registered (or moved to) meanwhile by somebody else: the unique address is theirs.
                        return Uni.createFrom().failure(Problem.badRequest(INVALID));
                    }
                    boolean oldAddressWasConfirmed = account.emailVerified;
                    return accounts.update("email = ?1, emailVerified = true, updatedAt = current_timestamp where id = ?2 and email = ?3",
                            found.email, account.id, found.boundEmail)
                            .chain(() -> forgetLinks(account.id))
                            .chain(() -> audit.record(AuditLog.Type.EMAIL_CHANGED, account.id, null, clientKey, null))
                            .chain(() -> outbox.enqueue(oldAddressWasConfirmed ? MailKind.EMAIL_CHANGED : MailKind.EMAIL_CHANGED_UNCONFIRMED,
                                    found.boundEmail, account.id, clientKey));
                }));
    }

    /**
     * The old address takes the account back: its address again (confirmed: it was before the change, or it would have
     * got no undo link, and the link was read there), every link the
     * other address could use dies (a reset link mailed there included), and every session ends. The password stays: the
     * notice tells the owner to choose a new one through "Forgot your password?".
     */
    public Uni<Void> undoChange(String token, String clientKey) {
        return live(token, EmailToken.UNDO, clientKey, (found, account) -> true,
                (found, account) -> accounts.findByEmail(found.email).chain(holder -> {
                    if (holder != null && !holder.id.equals(account.id)) {
                        return Uni.createFrom().failure(Problem.badRequest(INVALID));
                    }
                    return accounts.update("email = ?1, emailVerified = true, updatedAt = current_timestamp where id = ?2", found.email, account.id)
                            .chain(() -> forgetLinks(account.id))
                            .chain(() -> EmailToken.delete("accountId", account.id))
                            .chain(() -> audit.record(AuditLog.Type.EMAIL_CHANGE_UNDONE, account.id, null, clientKey, null))
                            .chain(() -> sessions.revokeAll(account.id, null, "email-change-undone", clientKey))
                            // As after a password reset: whoever moved the account away may have added a passkey.
                            .chain(() -> factors.passkeysNeedThePassword(account.id));
                }));
    }

    /** The links that a change of address makes stale: a reset link and the verify and change links of the account. */
    private Uni<Void> forgetLinks(UUID accountId) {
        return PasswordResetToken.deleteById(accountId)
                .chain(() -> EmailToken.delete("accountId = ?1 and purpose in ?2", accountId, java.util.List.of(EmailToken.VERIFY, EmailToken.CHANGE)))
                .replaceWithVoid();
    }

    private interface Check {
        boolean stillHolds(EmailToken token, Account account);
    }

    private interface Apply {
        Uni<Void> apply(EmailToken token, Account account);
    }

    /**
     * Finds the token (counted per client as a guess at a secret), then applies it in one transaction that first deletes
     * it (two uses of one token: the second delete finds nothing, after waiting for the first) and locks the account,
     * where what the link needs is checked again; any failure rolls the deletion back.
     */
    private Uni<Void> live(String token, String purpose, String clientKey, Check check, Apply apply) {
        Guesser guesser = Guesser.emailTokenHolder(clientKey);
        return throttle.begin(guesser).chain(() -> Panache.withTransaction(() -> {
            if (!EmailTokens.wellFormed(token)) {
                return Uni.createFrom().failure(Problem.badRequest(INVALID));
            }
            String hash = EmailTokens.sha256(token);
            return EmailToken.<EmailToken>find("tokenHash = ?1 and purpose = ?2", hash, purpose).firstResult().chain(found -> {
                if (found == null || !found.expiresAt.isAfter(Instant.now())) {
                    return Uni.createFrom().failure(Problem.badRequest(INVALID));
                }
                return EmailToken.delete("tokenHash = ?1 and purpose = ?2", hash, purpose).chain(deleted -> deleted == 0
                        ? Uni.createFrom().failure(Problem.badRequest(INVALID))
                        : accounts.findById(found.accountId, LockModeType.PESSIMISTIC_WRITE).chain(account -> {
                            if (account == null || !check.stillHolds(found, account)) {
                                return Uni.createFrom().failure(Problem.badRequest(INVALID));
                            }
                            return apply.apply(found, account);
                        }));
            });
        })).call(() -> throttle.succeeded(guesser)).invoke(outbox::soon);
    }
}
