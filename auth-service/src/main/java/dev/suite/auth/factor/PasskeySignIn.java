package dev.suite.auth.factor;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import com.webauthn4j.data.AuthenticationData;

import dev.suite.auth.account.Account;
import dev.suite.auth.account.AccountRepository;
import dev.suite.auth.audit.AuditLog;
import dev.suite.auth.email.EmailConfig;
import dev.suite.auth.login.DeviceTokens;
import dev.suite.auth.login.NewDeviceNotice;
import dev.suite.auth.session.IssuedTokens;
import dev.suite.auth.session.SessionService;
import dev.suite.auth.session.SignInProof;
import dev.suite.problem.Problem;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

/**
 * Signing in with a passkey: by itself (password-less: the key, unlocked by its user, is two factors), or as the
 * second step after the password. Each ceremony's challenge says which it was issued for, and a second step's names
 * the one password sign-in it completes, so an answer made for one cannot complete the other. The passkey's row is
 * locked while its answer is judged (its signature counter is compared and moved once).
 *
 * A password-less attempt names no account before it verifies, so it is not counted against one (that would be a
 * lockout anyone could trigger): forging a signature is not a guessing game, and the gateway's per-client limit on
 * sign-in routes bounds the traffic.
 */
@ApplicationScoped
public class PasskeySignIn {

    private static final String PASSWORDLESS = "sign-in|";

    private final PasskeyCeremony ceremony;
    private final PasskeyChallenges challenges;
    private final PasskeyConfig config;
    private final SignInChallenges signInChallenges;
    private final FactorRepository factors;
    private final AccountRepository accounts;
    private final SessionService sessions;
    private final DeviceTokens devices;
    private final AuditLog audit;
    private final EmailConfig emailConfig;
    private final NewDeviceNotice newDeviceNotice;

    PasskeySignIn(PasskeyCeremony ceremony, PasskeyChallenges challenges, PasskeyConfig config, SignInChallenges signInChallenges,
            FactorRepository factors, AccountRepository accounts, SessionService sessions, DeviceTokens devices, AuditLog audit,
            EmailConfig emailConfig, NewDeviceNotice newDeviceNotice) {
        this.newDeviceNotice = newDeviceNotice;
        this.ceremony = ceremony;
        this.challenges = challenges;
        this.config = config;
        this.signInChallenges = signInChallenges;
        this.factors = factors;
        this.accounts = accounts;
        this.sessions = sessions;
        this.devices = devices;
        this.audit = audit;
        this.emailConfig = emailConfig;
    }

    /**
     * The options of a sign-in ceremony: password-less (no sign-in challenge: any of the user's discoverable passkeys,
     * and nothing said about any account), or the second step of the password sign-in whose challenge is given (that
     * account's passkeys).
     */
    public Uni<PasskeyOptions.Request> options(Optional<String> signInChallenge) {
        if (signInChallenge.isEmpty()) {
            return challenges.issue(PASSWORDLESS).map(challenge -> request(challenge, List.of()));
        }
        return signInChallenges.find(signInChallenge.get()).chain(pending -> {
            if (pending.isEmpty()) {
                return Uni.createFrom().failure(Problem.unauthorized(SecondStep.INVALID_CHALLENGE));
            }
            return Panache.withSession(() -> factors.passkeysOf(pending.get().accountId()))
                    .chain(passkeys -> challenges.issue(secondStep(signInChallenge.get()))
                            .map(challenge -> request(challenge, passkeys.stream().map(PasskeyOptions.Credential::of).toList())));
        });
    }

    /** A password-less sign-in: the session and its tokens, as /login answers them; 401 when the passkey is not accepted. */
    public Uni<IssuedTokens> signIn(String credentialJson, String deviceToken, String clientKey, String userAgent, String clientNetwork) {
        AuthenticationData data = ceremony.parseAssertion(credentialJson);
        String credentialId = PasskeyCeremony.credentialIdOf(data);
        return challenges.take(PasskeyCeremony.challengeOf(data)).chain(purpose -> !purpose.equals(Optional.of(PASSWORDLESS))
                ? refuse(null, clientKey, "passkey: no such ceremony")
                // The account row before the passkey's, in the order the second step and the factor changes lock them
                // (the other order could deadlock with them: review of issue 22, low).
                : Panache.withTransaction(() -> factors.accountOfPasskey(credentialId).chain(owner -> owner == null
                        ? Uni.createFrom().item(Optional.<Opened>empty())
                        : accounts.findById(owner, LockModeType.PESSIMISTIC_WRITE).chain(account -> factors.lockedPasskey(credentialId)
                                .chain(passkey -> passkey == null || !passkey.accountId.equals(owner)
                                        ? Uni.createFrom().item(Optional.<Opened>empty())
                                        : open(data, passkey, account, clientKey, userAgent, clientNetwork)))))
                        .chain(opened -> opened.isPresent() ? signedIn(opened.get(), deviceToken, clientKey)
                                : Panache.withSession(() -> factors.passkey(credentialId)).chain(passkey ->
                                        refuse(passkey == null ? null : passkey.accountId, clientKey, "passkey"))));
    }

    private record Opened(IssuedTokens tokens, Account account) {
    }

    /** The browser's device token renewed, and the owner told of a sign-in from a browser that never signed in before. */
    private Uni<IssuedTokens> signedIn(Opened opened, String deviceToken, String clientKey) {
        Optional<String> device = devices.deviceId(deviceToken, opened.account().email);
        return (device.isPresent() ? Uni.createFrom().voidItem() : newDeviceNotice.send(opened.account(), clientKey))
                .replaceWith(opened.tokens().withDevice(devices.issue(opened.account().email, device)));
    }

    private Uni<Optional<Opened>> open(AuthenticationData data, Passkey passkey, Account account, String clientKey, String userAgent,
            String clientNetwork) {
        // A passkey whose account's password was reset since it last completed a second step signs in only as one.
        if (account == null || account.lockedAt != null || !passkey.passwordless || !accept(data, passkey)) {
            return Uni.createFrom().item(Optional.empty());
        }
        if (emailConfig.requireVerified() && !account.emailVerified) {
            return Uni.createFrom().failure(new Problem(403, "Forbidden", "Confirm your email address first."));
        }
        SignInProof proof = SignInProof.passkey(Instant.now());
        return sessions.open(account, userAgent, clientNetwork, proof)
                .call(issued -> audit.record(AuditLog.Type.LOGIN_SUCCEEDED, account.id, issued.sessionId(), clientKey,
                        "amr " + String.join(",", proof.amr())))
                .map(issued -> Optional.of(new Opened(issued, account)));
    }

    /**
     * The second step with a passkey, inside the caller's transaction (SecondStep holds the account row): the proof,
     * or empty when the answer was not made for this sign-in, names a key that is not the account's, or does not verify.
     */
    Uni<Optional<SignInProof>> verifySecondStep(String signInChallenge, AuthenticationData data, UUID accountId) {
        return challenges.take(PasskeyCeremony.challengeOf(data)).chain(purpose -> !purpose.equals(Optional.of(secondStep(signInChallenge)))
                ? Uni.createFrom().item(Optional.<SignInProof>empty())
                : factors.lockedPasskey(PasskeyCeremony.credentialIdOf(data)).map(passkey ->
                        passkey != null && passkey.accountId.equals(accountId) && accept(data, passkey)
                                ? Optional.of(passwordlessAgain(passkey)) : Optional.<SignInProof>empty()));
    }

    /** A second step after the current password: the passkey signs in by itself again (see V13, passwordless). */
    private static SignInProof passwordlessAgain(Passkey passkey) {
        passkey.passwordless = true;
        return SignInProof.passwordAndPasskey(Instant.now());
    }

    /** Verifies the answer by this passkey and moves its counter (the row is the caller's, locked). */
    private boolean accept(AuthenticationData data, Passkey passkey) {
        return ceremony.verify(data, PasskeyCeremony.challengeOf(data), passkey).map(asserted -> {
            passkey.signCount = asserted.signCount();
            passkey.backupState = asserted.backupState();
            passkey.lastUsedAt = Instant.now();
            return true;
        }).orElse(false);
    }

    private <T> Uni<T> refuse(UUID accountId, String clientKey, String detail) {
        return Panache.withTransaction(() -> audit.record(AuditLog.Type.LOGIN_FAILED, accountId, null, clientKey, detail))
                .chain(() -> Uni.createFrom().failure(Problem.unauthorized(PasskeyCeremony.REFUSED)));
    }

    private PasskeyOptions.Request request(String challenge, List<PasskeyOptions.Credential> allowed) {
        return new PasskeyOptions.Request(challenge, config.relyingPartyId(), config.ceremonyTimeout().toMillis(), "required", allowed);
    }

    /** A second step's ceremony is bound to the password sign-in it completes (the challenge's digest, never itself). */
    private static String secondStep(String signInChallenge) {
        return "second-step|" + SecondFactors.hash(signInChallenge);
    }
}
