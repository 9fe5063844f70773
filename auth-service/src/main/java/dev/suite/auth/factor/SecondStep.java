package dev.suite.auth.factor;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import com.webauthn4j.data.AuthenticationData;

import dev.suite.auth.account.Account;
import dev.suite.auth.account.AccountRepository;
import dev.suite.auth.audit.AuditLog;
import dev.suite.auth.login.DeviceTokens;
import dev.suite.auth.login.NewDeviceNotice;
import dev.suite.auth.mail.MailOutbox;
import dev.suite.auth.session.IssuedTokens;
import dev.suite.auth.session.SessionService;
import dev.suite.auth.session.SignInProof;
import dev.suite.auth.throttle.GuessThrottle;
import dev.suite.auth.throttle.Guesser;
import dev.suite.problem.Problem;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The second step of a sign-in: the challenge a right password got, and a code (TOTP or recovery) or a passkey. Only
 * this step opens the session. A code (or a passkey's answer) is a guess at a secret and goes through the password's
 * throttle, under the same keys the password was counted under (the known device, or the account and the client
 * address); a challenge is spent by the one sign-in it completes, and the TOTP row (the passkey's) is locked while a
 * code (an answer) is judged, so a code is accepted once.
 */
@ApplicationScoped
public class SecondStep {

    static final String INVALID_CHALLENGE = "The sign-in has expired or was completed already: sign in again.";
    static final String WRONG_CODE = "The code is not valid.";

    private final SignInChallenges challenges;
    private final SecondFactors factors;
    private final AccountRepository accounts;
    private final GuessThrottle throttle;
    private final SessionService sessions;
    private final DeviceTokens devices;
    private final AuditLog audit;
    private final MailOutbox outbox;
    private final NewDeviceNotice newDeviceNotice;
    private final PasskeyCeremony ceremony;
    private final PasskeySignIn passkeys;

    SecondStep(SignInChallenges challenges, SecondFactors factors, AccountRepository accounts, GuessThrottle throttle,
            SessionService sessions, DeviceTokens devices, AuditLog audit, MailOutbox outbox, NewDeviceNotice newDeviceNotice,
            PasskeyCeremony ceremony, PasskeySignIn passkeys) {
        this.newDeviceNotice = newDeviceNotice;
        this.ceremony = ceremony;
        this.passkeys = passkeys;
        this.challenges = challenges;
        this.factors = factors;
        this.accounts = accounts;
        this.throttle = throttle;
        this.sessions = sessions;
        this.devices = devices;
        this.audit = audit;
        this.outbox = outbox;
    }

    /** The second step with a code: a TOTP code or a recovery code. */
    public Uni<IssuedTokens> complete(String challenge, String code, String clientKey, String userAgent, String clientNetwork) {
        return complete(challenge, new Presented(accountId -> factors.verify(accountId, code, Instant.now()), WRONG_CODE), clientKey,
                userAgent, clientNetwork);
    }

    /** The second step with a passkey: the browser's answer to the options issued for this challenge. */
    public Uni<IssuedTokens> completeWithPasskey(String challenge, String passkeyJson, String clientKey, String userAgent, String clientNetwork) {
        AuthenticationData answer = ceremony.parseAssertion(passkeyJson);
        return complete(challenge, new Presented(accountId -> passkeys.verifySecondStep(challenge, answer, accountId), PasskeyCeremony.REFUSED),
                clientKey, userAgent, clientNetwork);
    }

    /** What the user presented, judged for the account inside the step's transaction (the proof, or empty), and the refusal. */
    private record Presented(Function<UUID, Uni<Optional<SignInProof>>> judge, String refusal) {
    }

    private Uni<IssuedTokens> complete(String challenge, Presented presented, String clientKey, String userAgent, String clientNetwork) {
        return challenges.find(challenge).chain(pending -> {
            if (pending.isEmpty()) {
                return Uni.createFrom().failure(Problem.unauthorized(INVALID_CHALLENGE));
            }
            SignInChallenges.Pending found = pending.get();
            return Panache.withSession(() -> accounts.findById(found.accountId())).chain(account -> {
                if (account == null) {
                    return Uni.createFrom().failure(Problem.unauthorized(INVALID_CHALLENGE));
                }
                Guesser guesser = found.deviceId().map(id -> Guesser.knownDevice(id, account.email))
                        .orElseGet(() -> Guesser.unknownClient(account.email, clientKey)).withCodeCounter(account.id);
                return throttle.begin(guesser)
                        .chain(() -> Panache.withTransaction(() -> judge(challenge, found, presented, account, clientKey, userAgent, clientNetwork)))
                        .invoke(outbox::soon) // a recovery code's notice
                        .chain(issued -> issued.isPresent()
                                ? throttle.succeeded(guesser)
                                        .call(() -> found.deviceId().isEmpty() ? newDeviceNotice.send(account, clientKey) : Uni.createFrom().voidItem())
                                        .replaceWith(issued.get().withDevice(devices.issue(account.email, found.deviceId())))
                                : Panache.withTransaction(() -> audit.record(AuditLog.Type.SECOND_FACTOR_FAILED, account.id, null, clientKey, null))
                                        .chain(() -> Uni.createFrom().failure(Problem.unauthorized(presented.refusal()))));
            });
        });
    }

    private Uni<Optional<IssuedTokens>> judge(String challenge, SignInChallenges.Pending found, Presented presented, Account account,
            String clientKey, String userAgent, String clientNetwork) {
        // The account row, locked until the session is open, as the password step holds it: an admin's lock, a deletion
        // or a new password (a reset, a change) since the password step ends this sign-in too.
        return accounts.lockedWithHash(account.id, account.passwordHash).chain(current -> current == null || current.lockedAt != null
                || !found.earnedWith(current.passwordHash)
                ? Uni.createFrom().failure(Problem.unauthorized(INVALID_CHALLENGE))
                : verifyAndOpen(challenge, presented, current, clientKey, userAgent, clientNetwork));
    }

    private Uni<Optional<IssuedTokens>> verifyAndOpen(String challenge, Presented presented, Account account, String clientKey,
            String userAgent, String clientNetwork) {
        return presented.judge().apply(account.id).chain(proof -> {
            if (proof.isEmpty()) {
                return Uni.createFrom().item(Optional.<IssuedTokens>empty());
            }
            return challenges.spend(challenge).chain(spent -> spent
                    ? open(account, proof.get(), clientKey, userAgent, clientNetwork).map(Optional::of)
                    : Uni.createFrom().failure(Problem.unauthorized(INVALID_CHALLENGE)));
        });
    }

    private Uni<IssuedTokens> open(Account account, SignInProof proof, String clientKey, String userAgent, String clientNetwork) {
        return sessions.open(account, userAgent, clientNetwork, proof).call(issued ->
                audit.record(AuditLog.Type.LOGIN_SUCCEEDED, account.id, issued.sessionId(), clientKey, "amr " + String.join(",", proof.amr())));
    }
}
