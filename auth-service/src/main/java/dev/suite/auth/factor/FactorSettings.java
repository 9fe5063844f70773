package dev.suite.auth.factor;

import java.util.UUID;

import dev.suite.auth.account.AccountRepository;
import dev.suite.auth.mail.MailOutbox;
import dev.suite.auth.password.PasswordCheck;
import dev.suite.auth.throttle.GuessThrottle;
import dev.suite.auth.throttle.Guesser;
import dev.suite.problem.Problem;
import dev.suite.tokenguard.VerifiedToken;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * A signed-in owner manages their second factors: each method owns its transaction. Turning one on needs only the
 * session (it adds protection); turning it off and replacing the recovery codes need a recent sign-in with it
 * ({@link RecentSecondFactor}). The first code of a new authenticator is a guess like any other: throttled per session.
 */
@ApplicationScoped
public class FactorSettings {

    private final SecondFactors factors;
    private final AccountRepository accounts;
    private final GuessThrottle throttle;
    private final RecentSecondFactor stepUp;
    private final PasswordCheck passwords;
    private final MailOutbox outbox;

    FactorSettings(SecondFactors factors, AccountRepository accounts, GuessThrottle throttle, RecentSecondFactor stepUp,
            PasswordCheck passwords, MailOutbox outbox) {
        this.factors = factors;
        this.accounts = accounts;
        this.throttle = throttle;
        this.stepUp = stepUp;
        this.passwords = passwords;
        this.outbox = outbox;
    }

    public Uni<SecondFactors.Status> status(VerifiedToken token) {
        return Panache.withSession(() -> factors.status(accountOf(token)));
    }

    /**
     * A new authenticator secret. On an account that has a second factor already (a passkey), a recent sign-in with it
     * first: a password and a session alone must not add a factor that gets around it.
     */
    public Uni<SecondFactors.Enrolment> enrol(VerifiedToken token) {
        return stepUp.requireIfFactor(token).chain(() -> Panache.withTransaction(() -> accounts.findById(accountOf(token)).chain(account -> {
            if (account == null) {
                return Uni.createFrom().failure(Problem.unauthorized("The account no longer exists."));
            }
            return factors.enrol(account);
        })));
    }

    /**
     * Turns the factor on with its first code, and only with the account's current password too (review of issue 22,
     * high): a stolen or left-open session alone would otherwise put the thief's authenticator on the account, end the
     * owner's sessions and keep the recovery codes; the owner's password would then lead to a code only the thief has.
     * The password is a guess like any other, counted per session (Guesser.session), as a password change counts it.
     */
    public Uni<SecondFactors.RecoveryCodes> confirm(VerifiedToken token, String code, String currentPassword, String clientKey) {
        UUID accountId = accountOf(token);
        return Panache.withSession(() -> accounts.findById(accountId)).chain(account -> {
            if (account == null) {
                return Uni.createFrom().failure(Problem.unauthorized("The account no longer exists."));
            }
            Guesser guesser = Guesser.session(token.sessionId(), account.email);
            return passwords.verify(guesser, currentPassword, account.passwordHash).chain(verification -> verification.matches()
                    ? stepUp.requireIfFactor(token).chain(() -> throttle.begin(guesser))
                            .chain(() -> Panache.withTransaction(() -> factors.confirm(accountId, UUID.fromString(token.sessionId()), code, clientKey)))
                            .chain(codes -> codes.isPresent() ? throttle.succeeded(guesser).replaceWith(codes.get())
                                    : Uni.createFrom().failure(new Problem(400, "Bad Request", SecondStep.WRONG_CODE)))
                    : Uni.createFrom().failure(new Problem(403, "Forbidden", "The current password is incorrect.")));
        }).invoke(outbox::soon);
    }

    public Uni<Void> disable(VerifiedToken token, String clientKey) {
        return stepUp.require(token).chain(() -> Panache.withTransaction(() ->
                factors.disable(accountOf(token), UUID.fromString(token.sessionId()), clientKey))).invoke(outbox::soon);
    }

    public Uni<SecondFactors.RecoveryCodes> replaceRecoveryCodes(VerifiedToken token, String clientKey) {
        return stepUp.require(token).chain(() -> Panache.withTransaction(() ->
                factors.replaceRecoveryCodes(accountOf(token), UUID.fromString(token.sessionId()), clientKey))).invoke(outbox::soon);
    }

    private static UUID accountOf(VerifiedToken token) {
        return UUID.fromString(token.subject());
    }

}
