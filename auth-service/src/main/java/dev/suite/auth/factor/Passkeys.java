package dev.suite.auth.factor;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import com.webauthn4j.data.RegistrationData;

import dev.suite.auth.account.Account;
import dev.suite.auth.account.AccountRepository;
import dev.suite.auth.audit.AuditLog;
import dev.suite.auth.mail.MailKind;
import dev.suite.auth.mail.MailOutbox;
import dev.suite.auth.password.PasswordCheck;
import dev.suite.auth.session.SessionService;
import dev.suite.auth.session.SignInProof;
import dev.suite.auth.throttle.Guesser;
import dev.suite.problem.Problem;
import dev.suite.tokenguard.StepUp;
import dev.suite.tokenguard.VerifiedToken;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * A signed-in owner's passkeys: adding one (the WebAuthn registration ceremony), removing one. A passkey signs in by
 * itself, so adding one is guarded like turning a factor on and more: the session, the account's current password
 * (a stolen session alone adds no key of the thief's) and, when the account has a second factor already, a recent
 * sign-in with it (a password and a session alone must not add a way around that factor). The first passkey of an
 * account without a factor brings recovery codes and ends the account's other sessions, as a new authenticator does.
 */
@ApplicationScoped
public class Passkeys {

    static final String REGISTRATION_EXPIRED = "The passkey registration has expired or was used already: start again.";
    private static final String REGISTRATION = "register|";

    /** What adding a passkey answers: the passkey, and the recovery codes when it is the account's first factor. */
    public record Added(SecondFactors.PasskeyView passkey, SecondFactors.RecoveryCodes recoveryCodes) {
    }

    private final PasskeyCeremony ceremony;
    private final PasskeyChallenges challenges;
    private final PasskeyConfig config;
    private final FactorRepository factors;
    private final SecondFactors secondFactors;
    private final AccountRepository accounts;
    private final PasswordCheck passwords;
    private final RecentSecondFactor stepUp;
    private final SessionService sessions;
    private final AuditLog audit;
    private final MailOutbox outbox;
    private final SecondFactorConfig factorConfig;

    Passkeys(PasskeyCeremony ceremony, PasskeyChallenges challenges, PasskeyConfig config, FactorRepository factors,
            SecondFactors secondFactors, AccountRepository accounts, PasswordCheck passwords, RecentSecondFactor stepUp,
            SessionService sessions, AuditLog audit, MailOutbox outbox, SecondFactorConfig factorConfig) {
        this.factorConfig = factorConfig;
        this.ceremony = ceremony;
        this.challenges = challenges;
        this.config = config;
        this.factors = factors;
        this.secondFactors = secondFactors;
        this.accounts = accounts;
        this.passwords = passwords;
        this.stepUp = stepUp;
        this.sessions = sessions;
        this.audit = audit;
        this.outbox = outbox;
    }

    /** The options of a new registration, for this session only; its challenge lives one ceremony timeout. */
    public Uni<PasskeyOptions.Creation> registrationOptions(VerifiedToken token) {
        UUID accountId = UUID.fromString(token.subject());
        return stepUp.requireIfFactor(token).chain(() -> Panache.withSession(() -> accounts.findById(accountId)
                .chain(account -> account == null ? Uni.createFrom().failure(Problem.unauthorized("The account no longer exists."))
                        : factors.passkeysOf(accountId).map(existing -> {
                            if (existing.size() >= config.maxPerAccount()) {
                                throw tooMany();
                            }
                            return new Registering(account, existing.stream().map(PasskeyOptions.Credential::of).toList());
                        }))))
                .chain(registering -> challenges.issue(REGISTRATION + accountId + "|" + token.sessionId()).map(challenge ->
                        new PasskeyOptions.Creation(challenge, new PasskeyOptions.RelyingParty(config.relyingPartyId(), config.rpName()),
                                new PasskeyOptions.User(userHandle(accountId), registering.account().email, registering.account().email),
                                PasskeyCeremony.ALGORITHMS.stream().map(alg -> new PasskeyOptions.Algorithm("public-key", alg.getValue())).toList(),
                                config.ceremonyTimeout().toMillis(), registering.existing(),
                                new PasskeyOptions.Selection("required", true, "required"), "none")));
    }

    private record Registering(Account account, List<PasskeyOptions.Credential> existing) {
    }

    /**
     * The browser's answer to the registration: checked against the challenge this session was given, then kept. The
     * current password first, counted per session as a password change counts it.
     */
    public Uni<Added> add(VerifiedToken token, String credentialJson, String name, String currentPassword, String clientKey) {
        UUID accountId = UUID.fromString(token.subject());
        UUID sessionId = UUID.fromString(token.sessionId());
        String label = label(name);
        RegistrationData data = ceremony.parseRegistration(credentialJson);
        return Panache.withSession(() -> accounts.findById(accountId)).chain(account -> {
            if (account == null) {
                return Uni.createFrom().failure(Problem.unauthorized("The account no longer exists."));
            }
            return passwords.verify(Guesser.session(token.sessionId(), account.email), currentPassword, account.passwordHash)
                    .chain(verification -> verification.matches() ? stepUp.requireIfFactor(token)
                            : Uni.createFrom().failure(new Problem(403, "Forbidden", "The current password is incorrect.")))
                    .chain(() -> challenges.take(PasskeyCeremony.challengeOf(data)))
                    .chain(purpose -> {
                        if (purpose.isEmpty() || !purpose.get().equals(REGISTRATION + accountId + "|" + sessionId)) {
                            return Uni.createFrom().failure(Problem.badRequest(REGISTRATION_EXPIRED));
                        }
                        PasskeyCeremony.Registered registered = ceremony.verify(data, PasskeyCeremony.challengeOf(data))
                                .orElseThrow(() -> Problem.badRequest(PasskeyCeremony.REFUSED));
                        return Panache.withTransaction(() -> keep(token, account.passwordHash, registered, label, clientKey));
                    });
        }).invoke(outbox::soon);
    }

    /**
     * Keeps the passkey, under the account row's lock (as a password sign-in holds it while it decides between a
     * session and a challenge; it also serialises two additions racing past the limit), and only if nothing changed
     * while the ceremony ran (review of issue 22): the password it was checked against is still the account's (not
     * reset or changed since), the session is still live (not ended by a reset of the factors, a logout-all), and, if
     * the account has a factor now (an admin's reset, or another addition, may have raced), the token shows a recent one.
     */
    private Uni<Added> keep(VerifiedToken token, String verifiedHash, PasskeyCeremony.Registered registered, String label, String clientKey) {
        UUID accountId = UUID.fromString(token.subject());
        UUID sessionId = UUID.fromString(token.sessionId());
        Instant now = Instant.now();
        return accounts.lockedWithHash(accountId, verifiedHash).chain(account -> account == null
                ? Uni.createFrom().failure(new Problem(409, "Conflict", "The account changed while the passkey was made: start again."))
                : sessions.proofOf(accountId, sessionId))
                .chain(proof -> proof == null
                        ? Uni.createFrom().failure(Problem.unauthorized("The session has ended."))
                        : factors.passkey(registered.credentialId()))
                .chain(taken -> taken != null ? Uni.createFrom().failure(new Problem(409, "Conflict", "This passkey is registered already."))
                        : factors.countPasskeysOf(accountId))
                .chain(count -> count >= config.maxPerAccount() ? Uni.createFrom().failure(tooMany()) : factors.hasConfirmedFactor(accountId))
                .invoke(hadFactor -> {
                    if (hadFactor) {
                        StepUp.require(token, factorConfig.stepUpWindow(), true);
                    }
                })
                .chain(hadFactor -> {
                    Passkey passkey = new Passkey();
                    passkey.credentialId = registered.credentialId();
                    passkey.accountId = accountId;
                    passkey.name = label;
                    passkey.attestedCredentialData = registered.attestedCredentialData();
                    passkey.signCount = registered.signCount();
                    passkey.userVerified = registered.userVerified();
                    passkey.backupEligible = registered.backupEligible();
                    passkey.backupState = registered.backupState();
                    passkey.transports = registered.transports();
                    passkey.passwordless = true; // registered with the current password
                    passkey.createdAt = now;
                    Uni<SecondFactors.RecoveryCodes> codes = hadFactor ? Uni.createFrom().nullItem()
                            : secondFactors.newRecoveryCodes(accountId, now).call(() ->
                                    // The ceremony just proved the key, unlocked by its user: this session carries it.
                                    sessions.provedSecondFactor(accountId, sessionId, SignInProof.passwordAndPasskey(now), clientKey));
                    return factors.persist(passkey).chain(() -> codes)
                            .call(() -> audit.record(AuditLog.Type.SECOND_FACTOR_ENABLED, accountId, sessionId, clientKey, "passkey"))
                            .call(() -> secondFactors.notice(MailKind.PASSKEY_ADDED, accountId, clientKey))
                            .map(recoveryCodes -> new Added(SecondFactors.PasskeyView.of(passkey), recoveryCodes));
                });
    }

    /**
     * Removes one of the caller's passkeys (a recent sign-in with a second factor first), and ends every other session of
     * the account; 404 when it is not theirs.
     */
    public Uni<Void> remove(VerifiedToken token, String credentialId, String clientKey) {
        UUID accountId = UUID.fromString(token.subject());
        UUID sessionId = UUID.fromString(token.sessionId());
        // Every other session ends with it: one the removed key opened (an intruder's) must not keep refreshing, nor pass
        // the step-up on its sign-in with the key (review of issue 22, medium). Sessions do not say which key opened them.
        return stepUp.require(token).chain(() -> Panache.withTransaction(() -> factors.deletePasskey(accountId, credentialId)
                .chain(deleted -> !deleted ? Uni.createFrom().failure(Problem.notFound())
                        : sessions.revokeAll(accountId, sessionId, "passkey-removed", clientKey)
                                .chain(() -> secondFactors.dropRecoveryCodesWithTheLastFactor(accountId))
                                .chain(() -> audit.record(AuditLog.Type.SECOND_FACTOR_DISABLED, accountId, sessionId, clientKey, "passkey"))
                                .chain(() -> secondFactors.notice(MailKind.PASSKEY_REMOVED, accountId, clientKey)))))
                .invoke(outbox::soon);
    }

    /** The WebAuthn user handle: the account id's 16 bytes (random, no personal data), base64url. */
    static String userHandle(UUID accountId) {
        ByteBuffer bytes = ByteBuffer.allocate(16).putLong(accountId.getMostSignificantBits()).putLong(accountId.getLeastSignificantBits());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
    }

    private static String label(String name) {
        String trimmed = name == null ? "" : name.strip();
        if (trimmed.isEmpty() || trimmed.length() > 64 || trimmed.chars().anyMatch(Character::isISOControl)) {
            throw Problem.badRequest("name must be 1 to 64 characters, without control characters.");
        }
        return trimmed;
    }

    private static Problem tooMany() {
        return new Problem(409, "Conflict", "This account has as many passkeys as it may hold: remove one first.");
    }
}
