package dev.suite.auth.login;

import java.util.Optional;

import dev.suite.auth.account.Account;
import dev.suite.auth.account.AccountRepository;
import dev.suite.auth.account.EmailAddress;
import dev.suite.auth.audit.AuditLog;
import dev.suite.auth.email.EmailConfig;
import dev.suite.auth.factor.SecondFactors;
import dev.suite.auth.factor.SignInChallenges;
import dev.suite.auth.mail.MailKind;
import dev.suite.auth.mail.MailOutbox;
import dev.suite.auth.password.PasswordCheck;
import dev.suite.auth.password.PasswordHashing;
import dev.suite.auth.session.SessionService;
import dev.suite.auth.throttle.Guesser;
import dev.suite.problem.Problem;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Password login. Unknown emails cost the same hashing work and get the same answer as wrong passwords; guesses
 * are counted before any hashing, per device for a browser that signed in here before and per account and client
 * otherwise; a hash made with an older algorithm or cost is replaced on success.
 */
@ApplicationScoped
public class LoginService {

    static final String WRONG_CREDENTIALS = "Email or password is incorrect.";

    private record Attempt(Account account, PasswordHashing.Verification verification) {
    }

    private final AccountRepository accounts;
    private final PasswordCheck passwords;
    private final PasswordHashing hashing;
    private final DeviceTokens devices;
    private final SessionService sessions;
    private final AuditLog audit;
    private final SecondFactors secondFactors;
    private final SignInChallenges challenges;
    private final MailOutbox outbox;
    private final EmailConfig emailConfig;
    private final NewDeviceNotice newDeviceNotice;

    LoginService(AccountRepository accounts, PasswordCheck passwords, PasswordHashing hashing, DeviceTokens devices,
            SessionService sessions, AuditLog audit, SecondFactors secondFactors, SignInChallenges challenges, MailOutbox outbox,
            EmailConfig emailConfig, NewDeviceNotice newDeviceNotice) {
        this.newDeviceNotice = newDeviceNotice;
        this.secondFactors = secondFactors;
        this.challenges = challenges;
        this.outbox = outbox;
        this.emailConfig = emailConfig;
        this.accounts = accounts;
        this.passwords = passwords;
        this.hashing = hashing;
        this.devices = devices;
        this.sessions = sessions;
        this.audit = audit;
    }

    public Uni<LoginOutcome> login(String rawEmail, String password, String deviceToken, String clientKey) {
        return login(rawEmail, password, deviceToken, clientKey, new Origin(null, null));
    }

    /** Where a sign-in comes from, for its owner's session list: the User-Agent and the client's network. */
    public record Origin(String userAgent, String clientNetwork) {
    }

    public Uni<LoginOutcome> login(String rawEmail, String password, String deviceToken, String clientKey, Origin origin) {
        String email = EmailAddress.normalise(rawEmail);
        if (password == null || password.isEmpty()) {
            return Uni.createFrom().failure(Problem.badRequest("password is required."));
        }
        Optional<String> device = devices.deviceId(deviceToken, email);
        Guesser guesser = device.map(id -> Guesser.knownDevice(id, email)).orElseGet(() -> Guesser.unknownClient(email, clientKey));
        return Panache.withSession(() -> accounts.findByEmail(email))
                // A locked account's password is checked against the decoy, as an unknown email's: the same work, never
                // a match, always counted as a failed guess. Checked against its own hash, a right guess would reset the
                // throttle's count and tell the guesser it was right (the 401 alone tells nothing).
                .chain(account -> passwords.verify(guesser, password, account == null || account.lockedAt != null ? null : account.passwordHash)
                        .map(verification -> new Attempt(account, verification)))
                .chain(attempt -> attempt.verification().matches()
                        ? refuseUnconfirmed(attempt.account(), clientKey)
                                .chain(() -> succeed(attempt, password, guesser, clientKey, origin, device))
                                .call(outcome -> outcome instanceof LoginOutcome.SignedIn && device.isEmpty()
                                        ? newDeviceNotice.send(attempt.account(), clientKey) : Uni.createFrom().voidItem())
                                .map(outcome -> outcome instanceof LoginOutcome.SignedIn signedIn
                                        ? new LoginOutcome.SignedIn(signedIn.tokens().withDevice(devices.issue(email, device))) : outcome)
                        : fail(attempt.account(), clientKey));
    }

    /**
     * Opens the session only if the password verified is still the account's: a password change or a deletion
     * that committed while this login was hashing wins, and the old password gets no session.
     */
    private Uni<LoginOutcome> succeed(Attempt attempt, String password, Guesser guesser, String clientKey, Origin origin,
            Optional<String> device) {
        String verifiedHash = attempt.account().passwordHash;
        Uni<Optional<String>> newHash = attempt.verification().needsRehash()
                ? hashing.hash(password, guesser.hashingOwners()).map(Optional::of)
                : Uni.createFrom().item(Optional.empty());
        return newHash.chain(rehashed -> Panache.withTransaction(() -> accounts.lockedWithHash(attempt.account().id, verifiedHash)
                .chain(account -> {
                    if (account == null || account.lockedAt != null) { // locked while the password was hashing
                        return Uni.createFrom().failure(Problem.unauthorized(WRONG_CREDENTIALS));
                    }
                    Uni<Void> upgrade = rehashed.map(hash -> accounts.replacePasswordHash(account.id, hash)
                            .chain(() -> audit.record(AuditLog.Type.PASSWORD_REHASHED, account.id, null, clientKey, "upgraded")))
                            .orElseGet(() -> Uni.createFrom().voidItem());
                    // An account with a second factor gets no session from its password alone: a challenge for the second step.
                    return upgrade.chain(() -> secondFactors.hasConfirmedFactor(account.id)).chain(hasFactor -> hasFactor
                            ? secondFactors.hasPasskey(account.id).chain(passkey -> challenges.issue(account.id, device, rehashed.orElse(verifiedHash))
                                    .map(issued -> (LoginOutcome) new LoginOutcome.SecondFactorRequired(true, issued.challenge(), issued.expiresAt(), passkey)))
                            : sessions.open(account, origin.userAgent(), origin.clientNetwork()).call(issued ->
                                    audit.record(AuditLog.Type.LOGIN_SUCCEEDED, account.id, issued.sessionId(), clientKey, null))
                                    .map(LoginOutcome.SignedIn::new));
                })));
    }

    /**
     * With auth.email.require-verified, an account whose address is not confirmed opens no session: the right password
     * gets a 403 and a new link to the address (within its mail budget). Off by default (issue 21: sign-in allowed).
     */
    private Uni<Void> refuseUnconfirmed(Account account, String clientKey) {
        if (!emailConfig.requireVerified() || account.emailVerified) {
            return Uni.createFrom().voidItem();
        }
        return Panache.withTransaction(() -> outbox.enqueue(MailKind.EMAIL_VERIFICATION_LINK, account.email, account.id, clientKey))
                .invoke(outbox::soon).chain(() -> Uni.createFrom().failure(new Problem(403, "Forbidden",
                        "Confirm your email address first: a new link to confirm it is on its way there.")));
    }

    /** A locked account (admin/AccountAdministration) gets the wrong password's answer too; only the audit trail says why. */
    private Uni<LoginOutcome> fail(Account account, String clientKey) {
        AuditLog.Type type = account != null && account.lockedAt != null ? AuditLog.Type.LOGIN_REFUSED_LOCKED : AuditLog.Type.LOGIN_FAILED;
        String detail = account == null ? "unknown email" : account.lockedAt != null ? "locked" : "wrong password";
        return Panache.withTransaction(() -> audit.record(type, account == null ? null : account.id, null, clientKey, detail))
                .chain(() -> Uni.createFrom().failure(Problem.unauthorized(WRONG_CREDENTIALS)));
    }
}
