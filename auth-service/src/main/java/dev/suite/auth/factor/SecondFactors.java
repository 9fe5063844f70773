package dev.suite.auth.factor;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

import org.apache.commons.codec.binary.Base32;

import dev.suite.auth.account.Account;
import dev.suite.auth.account.AccountRepository;
import dev.suite.auth.audit.AuditLog;
import dev.suite.auth.mail.MailKind;
import dev.suite.auth.mail.MailOutbox;
import dev.suite.auth.session.SessionService;
import dev.suite.auth.session.SignInProof;
import dev.suite.auth.token.RingSealing;
import dev.suite.problem.Problem;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.LockModeType;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * An account's second factors: a TOTP authenticator (enrolled, confirmed by a first code, turned off) and its
 * recovery codes (made when the authenticator is confirmed, replaced on demand, each single use). The secret is
 * sealed with the signing keys' sealing ({@link RingSealing}), bound to the account id. Every method runs inside the
 * caller's transaction; throttling the guesses is the caller's (SecondStep, FactorService).
 */
@ApplicationScoped
public class SecondFactors {

    /** What enrolment shows once: the secret for typing, and the otpauth URI for a QR code. */
    public record Enrolment(String secret, String otpauthUri) {
        @Override
        public String toString() {
            return "Enrolment[...]";
        }
    }

    /** Recovery codes as shown once, and how many the account has unused. */
    public record RecoveryCodes(List<String> codes, long left) {
        @Override
        public String toString() {
            return "RecoveryCodes[left=" + left + "]";
        }
    }

    /**
     * What the account has: TOTP "none", "pending" (enrolled, not confirmed) or "confirmed"; unused recovery codes; its
     * passkeys.
     */
    public record Status(String totp, long recoveryCodesLeft, List<PasskeyView> passkeys) {
    }

    /** A passkey as its owner sees it in the list (the id is the credential's, as the browser names it). */
    public record PasskeyView(String id, String name, Instant createdAt, Instant lastUsedAt) {
        static PasskeyView of(Passkey passkey) {
            return new PasskeyView(passkey.credentialId, passkey.name, passkey.createdAt, passkey.lastUsedAt);
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    /** 16 Base32 characters: 80 random bits per recovery code, shown as four groups of four. */
    private static final int RECOVERY_CODE_BYTES = 10;

    private final FactorRepository factors;
    private final RingSealing sealing;
    private final TotpCodes totp = new TotpCodes();
    private final SecondFactorConfig config;
    private final SessionService sessions;
    private final AuditLog audit;
    private final AccountRepository accounts;
    private final MailOutbox outbox;

    SecondFactors(FactorRepository factors, RingSealing sealing, SecondFactorConfig config, SessionService sessions, AuditLog audit,
            AccountRepository accounts, MailOutbox outbox) {
        this.factors = factors;
        this.sealing = sealing;
        this.config = config;
        this.sessions = sessions;
        this.audit = audit;
        this.accounts = accounts;
        this.outbox = outbox;
    }

    public Uni<Boolean> hasConfirmedFactor(UUID accountId) {
        return factors.hasConfirmedFactor(accountId);
    }

    public Uni<Boolean> hasPasskey(UUID accountId) {
        return factors.countPasskeysOf(accountId).map(count -> count > 0);
    }

    public Uni<Status> status(UUID accountId) {
        return factors.totpOf(accountId).chain(factor -> factors.unusedCodesOf(accountId).chain(left -> factors.passkeysOf(accountId).map(passkeys ->
                new Status(factor == null ? "none" : factor.confirmed() ? "confirmed" : "pending", left,
                        passkeys.stream().map(PasskeyView::of).toList()))));
    }

    /** A new secret for the account (replacing an unconfirmed one); refused while a confirmed one is on. */
    public Uni<Enrolment> enrol(Account account) {
        return factors.lockedTotpOf(account.id).chain(existing -> {
            if (existing != null && existing.confirmed()) {
                return Uni.createFrom().failure(new Problem(409, "Conflict",
                        "An authenticator is already on for this account: turn it off first."));
            }
            byte[] secret = TotpCodes.newSecret();
            RingSealing.Sealed sealed = sealing.seal(secret, context(account.id));
            TotpFactor factor = existing != null ? existing : new TotpFactor();
            factor.accountId = account.id;
            factor.sealedSecret = sealed.bytes();
            factor.sealedBy = sealed.sealedBy();
            factor.confirmedAt = null;
            factor.lastUsedStep = null;
            Uni<Void> saved = Uni.createFrom().voidItem();
            if (existing == null) {
                factor.createdAt = Instant.now();
                saved = factors.persist(factor);
            }
            return saved.replaceWith(new Enrolment(TotpCodes.base32(secret),
                    TotpCodes.otpauthUri(config.issuerName(), account.email, secret)));
        });
    }

    /**
     * The first code from the new authenticator: the factor is on from now, recovery codes are made, and the session
     * that proved it carries the second factor (its other sessions end: none signed in with the password alone
     * outlives the factor). Empty when the code is wrong (or there is nothing to confirm).
     */
    public Uni<Optional<RecoveryCodes>> confirm(UUID accountId, UUID sessionId, String code, String clientIp) {
        Instant now = Instant.now();
        // The account row first, as a password sign-in holds it while it decides between a session and a challenge: a
        // sign-in racing this confirmation either sees the factor (a challenge) or opened its session before, and the
        // end of every other session below ends it too (review of issue 22, low).
        return accounts.findById(accountId, LockModeType.PESSIMISTIC_WRITE).chain(() -> factors.lockedTotpOf(accountId)).chain(factor -> {
            if (factor == null || factor.confirmed()) {
                return Uni.createFrom().failure(new Problem(409, "Conflict", factor == null
                        ? "There is no authenticator waiting for its first code: start the enrolment first."
                        : "The authenticator is already on."));
            }
            OptionalLong step = totp.matchingStep(secretOf(factor), code, now, null);
            if (step.isEmpty()) {
                return Uni.createFrom().item(Optional.empty());
            }
            factor.confirmedAt = now;
            factor.lastUsedStep = step.getAsLong();
            return newRecoveryCodes(accountId, now)
                    .call(() -> sessions.provedSecondFactor(accountId, sessionId, SignInProof.passwordAndTotp(now), clientIp))
                    .call(() -> audit.record(AuditLog.Type.SECOND_FACTOR_ENABLED, accountId, sessionId, clientIp, "totp"))
                    .call(() -> notice(MailKind.SECOND_FACTOR_ENABLED, accountId, clientIp))
                    .map(Optional::of);
        });
    }

    /**
     * A code at sign-in: a TOTP code (single use: its step must be after the last one accepted) or an unused recovery
     * code (then spent). The proof to open the session with, or empty when the code is neither.
     */
    public Uni<Optional<SignInProof>> verify(UUID accountId, String code, Instant now) {
        if (code == null || code.isBlank() || code.length() > 64) {
            return Uni.createFrom().item(Optional.empty());
        }
        String digits = code.replace(" ", "");
        if (digits.length() == TotpCodes.DIGITS && digits.chars().allMatch(Character::isDigit)) {
            return factors.lockedTotpOf(accountId).map(factor -> {
                if (factor == null || !factor.confirmed()) {
                    return Optional.empty();
                }
                OptionalLong step = totp.matchingStep(secretOf(factor), digits, now, factor.lastUsedStep);
                if (step.isEmpty()) {
                    return Optional.empty();
                }
                factor.lastUsedStep = step.getAsLong();
                if (!sealing.currentSeedId().equals(factor.sealedBy)) {
                    // Sealed under a seed being replaced: re-sealed under the current one while it can still be opened.
                    RingSealing.Sealed resealed = sealing.seal(secretOf(factor), context(accountId));
                    factor.sealedSecret = resealed.bytes();
                    factor.sealedBy = resealed.sealedBy();
                }
                return Optional.of(SignInProof.passwordAndTotp(now));
            });
        }
        return factors.lockedUnusedCode(accountId, hash(normalisedRecoveryCode(code))).chain(found -> {
            if (found == null) {
                return Uni.createFrom().item(Optional.<SignInProof>empty());
            }
            found.usedAt = now;
            return audit.record(AuditLog.Type.RECOVERY_CODE_USED, accountId, null, null, null)
                    .call(() -> notice(MailKind.RECOVERY_CODE_USED, accountId, null))
                    .replaceWith(Optional.of(SignInProof.passwordAndRecoveryCode(now)));
        });
    }

    /**
     * Turns the authenticator off, and drops the recovery codes when no passkey is left either (the caller checked a
     * recent sign-in with a second factor).
     */
    public Uni<Void> disable(UUID accountId, UUID sessionId, String clientIp) {
        return factors.totpOf(accountId).chain(factor -> {
            if (factor == null) {
                return Uni.createFrom().failure(new Problem(404, "Not Found", "No authenticator is on for this account."));
            }
            return factors.deleteTotp(accountId).chain(() -> dropRecoveryCodesWithTheLastFactor(accountId))
                    .chain(() -> audit.record(AuditLog.Type.SECOND_FACTOR_DISABLED, accountId, sessionId, clientIp, "totp"))
                    .chain(() -> notice(MailKind.SECOND_FACTOR_DISABLED, accountId, clientIp));
        });
    }

    /**
     * Admin-assisted recovery (issue 22 item 6), for an owner who lost every factor and every recovery code: the
     * authenticator, the passkeys and the codes go, every session of the account ends (none outlives the factors it was
     * opened with), the admin is the audit event's actor, and the owner is told at the account's address. Inside the
     * caller's transaction, the account row locked first as every factor change locks it. 409 when there is nothing to
     * reset, so an admin learns that the owner's trouble is elsewhere.
     */
    public Uni<Void> resetByAdmin(UUID accountId, UUID adminId, String clientIp) {
        return accounts.findById(accountId, LockModeType.PESSIMISTIC_WRITE).chain(account -> account == null
                ? Uni.createFrom().failure(Problem.notFound())
                : factors.totpOf(accountId).chain(totp -> factors.countPasskeysOf(accountId).chain(passkeys -> factors.unusedCodesOf(accountId)
                        .chain(codes -> {
                            if (totp == null && passkeys == 0 && codes == 0) {
                                return Uni.createFrom().failure(new Problem(409, "Conflict", "The account has no second factor to reset."));
                            }
                            String detail = "totp " + (totp == null ? "none" : totp.confirmed() ? "confirmed" : "pending") + ", passkeys "
                                    + passkeys + ", recovery codes " + codes;
                            return factors.deleteTotp(accountId).chain(() -> factors.deletePasskeys(accountId))
                                    .chain(() -> factors.deleteRecoveryCodes(accountId))
                                    .chain(() -> sessions.revokeAll(accountId, null, "second-factors-reset", clientIp))
                                    .chain(() -> audit.recordByAdmin(AuditLog.Type.SECOND_FACTORS_RESET_BY_ADMIN, accountId, adminId, clientIp, detail))
                                    .chain(() -> outbox.enqueue(MailKind.SECOND_FACTORS_RESET_BY_ADMIN, account.email, accountId, clientIp));
                        }))));
    }

    /**
     * Recovery codes stand in for the account's second factors: they go with the last one (an authenticator or a
     * passkey), and stay while any is left.
     */
    Uni<Void> dropRecoveryCodesWithTheLastFactor(UUID accountId) {
        return Panache.flush().chain(() -> factors.hasConfirmedFactor(accountId))
                .chain(any -> any ? Uni.createFrom().voidItem() : factors.deleteRecoveryCodes(accountId));
    }

    /** New recovery codes, the old ones void (the caller checked a recent sign-in with the second factor). */
    public Uni<RecoveryCodes> replaceRecoveryCodes(UUID accountId, UUID sessionId, String clientIp) {
        return factors.hasConfirmedFactor(accountId).chain(has -> {
            if (!has) {
                return Uni.createFrom().failure(new Problem(409, "Conflict", "Recovery codes come with an authenticator: turn one on first."));
            }
            return newRecoveryCodes(accountId, Instant.now())
                    .call(() -> audit.record(AuditLog.Type.RECOVERY_CODES_REPLACED, accountId, sessionId, clientIp, null))
                    .call(() -> notice(MailKind.RECOVERY_CODES_REPLACED, accountId, clientIp));
        });
    }

    /**
     * The owner is told of every change to the factor and every recovery code spent (issue 22), at the account's
     * address, in the caller's transaction: a change rolled back sends nothing. The caller wakes the outbox once it
     * committed.
     */
    Uni<Void> notice(MailKind kind, UUID accountId, String clientIp) {
        return accounts.findById(accountId).chain(account -> account == null ? Uni.createFrom().voidItem()
                : outbox.enqueue(kind, account.email, accountId, clientIp));
    }

    Uni<RecoveryCodes> newRecoveryCodes(UUID accountId, Instant now) {
        List<String> codes = new ArrayList<>();
        List<String> hashes = new ArrayList<>();
        for (int i = 0; i < config.recoveryCodes(); i++) {
            byte[] bytes = new byte[RECOVERY_CODE_BYTES];
            RANDOM.nextBytes(bytes);
            String raw = new Base32().encodeToString(bytes).toLowerCase();
            codes.add(raw.substring(0, 4) + "-" + raw.substring(4, 8) + "-" + raw.substring(8, 12) + "-" + raw.substring(12, 16));
            hashes.add(hash(raw));
        }
        return factors.replaceRecoveryCodes(accountId, hashes, now).replaceWith(new RecoveryCodes(List.copyOf(codes), codes.size()));
    }

    private byte[] secretOf(TotpFactor factor) {
        return sealing.open(new RingSealing.Sealed(factor.sealedSecret, factor.sealedBy), context(factor.accountId));
    }

    /** The associated data of a sealed TOTP secret: a seal copied to another account's row does not open there. */
    private static String context(UUID accountId) {
        return "totp:" + accountId;
    }

    /** Recovery codes are compared without dashes, spaces or case: as people copy them. */
    static String normalisedRecoveryCode(String code) {
        return code.replaceAll("[\\s-]", "").toLowerCase();
    }

    static String hash(String normalisedCode) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(normalisedCode.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
