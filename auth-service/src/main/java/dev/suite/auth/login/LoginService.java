package dev.suite.auth.login;

import dev.suite.auth.account.Account;
import dev.suite.auth.account.AccountRepository;
import dev.suite.auth.account.EmailAddress;
import dev.suite.auth.audit.AuditLog;
import dev.suite.auth.password.PasswordHashing;
import dev.suite.problem.Problem;
import dev.suite.auth.session.IssuedTokens;
import dev.suite.auth.session.SessionService;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Password login. Unknown emails cost the same hashing work and get the same answer as wrong passwords; the
 * throttle runs before any hashing; a hash made with an older algorithm or cost is replaced on success.
 */
@ApplicationScoped
public class LoginService {

    static final String WRONG_CREDENTIALS = "Email or password is incorrect.";

    private record Attempt(Account account, PasswordHashing.Verification verification) {
    }

    private final AccountRepository accounts;
    private final PasswordHashing hashing;
    private final LoginThrottle throttle;
    private final SessionService sessions;
    private final AuditLog audit;

    LoginService(AccountRepository accounts, PasswordHashing hashing, LoginThrottle throttle, SessionService sessions,
            AuditLog audit) {
        this.accounts = accounts;
        this.hashing = hashing;
        this.throttle = throttle;
        this.sessions = sessions;
        this.audit = audit;
    }

    public Uni<IssuedTokens> login(String rawEmail, String password, String clientIp) {
        String email = EmailAddress.normalise(rawEmail);
        if (password == null || password.isEmpty()) {
            return Uni.createFrom().failure(Problem.badRequest("password is required."));
        }
        return throttle.check(email, clientIp)
                .chain(() -> Panache.withSession(() -> accounts.findByEmail(email)))
                .chain(account -> account == null
                        ? hashing.verifyAgainstDecoy(password).map(v -> new Attempt(null, v))
                        : hashing.verify(password, account.passwordHash).map(v -> new Attempt(account, v)))
                .chain(attempt -> attempt.verification().matches()
                        ? succeed(attempt, email, password, clientIp)
                        : fail(attempt.account(), email, clientIp));
    }

    private Uni<IssuedTokens> succeed(Attempt attempt, String email, String password, String clientIp) {
        Account account = attempt.account();
        Uni<String> newHash = attempt.verification().needsRehash() ? hashing.hash(password) : Uni.createFrom().nullItem();
        return throttle.recordSuccess(email).chain(() -> newHash).chain(rehashed -> Panache.withTransaction(() -> {
            Uni<Void> upgrade = Uni.createFrom().voidItem();
            if (rehashed != null) {
                account.passwordHash = rehashed;
                upgrade = Account.update("passwordHash = ?1, updatedAt = current_timestamp where id = ?2", rehashed, account.id)
                        .chain(() -> audit.record(AuditLog.Type.PASSWORD_REHASHED, account.id, null, clientIp, "upgraded"));
            }
            return upgrade.chain(() -> sessions.open(account)).call(issued ->
                    audit.record(AuditLog.Type.LOGIN_SUCCEEDED, account.id, issued.sessionId(), clientIp, null));
        }));
    }

    private Uni<IssuedTokens> fail(Account account, String email, String clientIp) {
        return throttle.recordFailure(email, clientIp)
                .chain(() -> Panache.withTransaction(() -> audit.record(AuditLog.Type.LOGIN_FAILED,
                        account == null ? null : account.id, null, clientIp, account == null ? "unknown email" : "wrong password")))
                .chain(() -> Uni.createFrom().failure(Problem.unauthorized(WRONG_CREDENTIALS)));
    }
}
