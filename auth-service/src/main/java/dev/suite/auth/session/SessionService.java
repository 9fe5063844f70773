package dev.suite.auth.session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

import dev.suite.auth.account.Account;
import dev.suite.auth.account.AccountRepository;
import dev.suite.auth.account.AccountView;
import dev.suite.auth.audit.AuditLog;
import dev.suite.problem.Problem;
import dev.suite.auth.token.AccessTokens;
import dev.suite.tokenguard.RevocationStore;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Sessions and their rotating refresh tokens. Every refresh is a rotation under a row lock; a refresh token
 * presented again after its grace window, or after its successor was used, revokes the whole session (and so
 * every access token minted from it, through token-guard's revocation sets). Refresh and the logouts own their
 * transaction; the other methods that write run inside the transaction of the service that calls them.
 */
@ApplicationScoped
public class SessionService {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String INVALID = "The refresh token is not valid.";
    private static final Supplier<Problem> NO_SUCH_SESSION = () -> new Problem(404, "Not Found",
            "No live session of yours has this id.");

    private final SessionConfig config;
    private final AccessTokens accessTokens;
    private final AccountRepository accounts;
    private final RevocationStore revocations;
    private final AuditLog audit;
    private final SuccessorTokens successors;
    private final SessionRepository sessions;
    private final RefreshTokenRepository refreshTokens;

    SessionService(SessionConfig config, AccessTokens accessTokens, AccountRepository accounts, RevocationStore revocations,
            AuditLog audit, SuccessorTokens successors, SessionRepository sessions, RefreshTokenRepository refreshTokens) {
        this.successors = successors;
        this.config = config;
        this.accessTokens = accessTokens;
        this.accounts = accounts;
        this.revocations = revocations;
        this.audit = audit;
        this.sessions = sessions;
        this.refreshTokens = refreshTokens;
    }

    /** A new session for an account that just proved who it is. Runs inside the caller's transaction. */
    public Uni<IssuedTokens> open(Account account) {
        return open(account, null, null);
    }

    /**
     * A new session, with what its owner will recognise it by in their list: the User-Agent it signed in with (kept
     * only as a {@link DeviceNames} label) and its client's network. Runs inside the caller's transaction.
     */
    public Uni<IssuedTokens> open(Account account, String userAgent, String clientNetwork) {
        return open(account, userAgent, clientNetwork, SignInProof.PASSWORD);
    }

    /** {@link #open(Account, String, String)} for a sign-in that proved more than a password (a second factor). */
    public Uni<IssuedTokens> open(Account account, String userAgent, String clientNetwork, SignInProof proof) {
        Instant now = Instant.now();
        AuthSession session = new AuthSession();
        session.id = UUID.randomUUID();
        session.accountId = account.id;
        session.createdAt = now;
        session.lastUsedAt = now;
        session.absoluteExpiresAt = now.plus(config.absoluteLifetime());
        session.device = DeviceNames.of(userAgent);
        session.clientNetwork = clientNetwork;
        session.amr = proof.column();
        session.authTime = proof.at() == null ? now : proof.at();
        return sessions.persist(session).chain(() -> issue(account, session, now));
    }

    /**
     * A second factor was just turned on in this session: its next tokens say so (amr, auth_time now), and every other
     * session of the account ends, so none opened with the password alone outlives the factor. Runs inside the caller's
     * transaction.
     */
    public Uni<Void> provedSecondFactor(UUID accountId, UUID sessionId, SignInProof proof, String clientIp) {
        return sessions.findById(sessionId).chain(session -> {
            if (session == null || !session.accountId.equals(accountId)) {
                return Uni.createFrom().voidItem();
            }
            session.amr = proof.column();
            session.authTime = proof.at();
            return Uni.createFrom().voidItem();
        }).chain(() -> revokeAll(accountId, sessionId, "second-factor-enabled", clientIp));
    }

    /** How and when the account's live session {@code sessionId} signed in; null when it is not a live one of the account's. */
    public Uni<SignInProof> proofOf(UUID accountId, UUID sessionId) {
        return sessions.findById(sessionId).map(session -> session == null || !session.accountId.equals(accountId)
                || !session.isLive(Instant.now(), config) ? null : session.signInProof());
    }

    /** How many sessions the account ever opened that are still on record (ended ones included). */
    public Uni<Long> countOf(UUID accountId) {
        return sessions.count("accountId", accountId);
    }

    /** The caller's live sessions, most recently used first; {@code current} is the one asking. */
    public Uni<List<SessionView>> liveSessionsOf(UUID accountId, UUID current) {
        Instant now = Instant.now();
        return Panache.withSession(() -> sessions.unrevokedOf(accountId)).map(found -> found.stream()
                .filter(session -> session.isLive(now, config))
                .sorted(Comparator.comparing((AuthSession session) -> session.lastUsedAt).reversed())
                .map(session -> SessionView.of(session, current)).toList());
    }

    /**
     * Ends one live session of the caller's, as logout ends the caller's own (the same {@link #markRevoked}: its
     * refresh tokens refused, its access tokens revoked everywhere). Another account's session, an ended or expired
     * one and an unknown id all fail alike with a 404: the caller learns nothing about sessions that are not theirs.
     */
    public Uni<Void> endOwnSession(UUID accountId, UUID sessionId, String clientIp) {
        Instant now = Instant.now();
        return Panache.withTransaction(() -> sessions.lockedById(sessionId).chain(session -> {
            if (session == null || !session.accountId.equals(accountId) || !session.isLive(now, config)) {
                return Uni.createFrom().failure(NO_SUCH_SESSION.get());
            }
            return markRevoked(session, "ended-from-list", now, clientIp);
        }));
    }

    /** Rotates a refresh token; a reuse revokes its whole session (see {@link RefreshOutcome}). */
    public Uni<RefreshOutcome> refresh(String presented, String clientIp) {
        return refresh(presented, clientIp, null);
    }

    /** {@link #refresh(String, String)}, noting the client's network as where the session was last used. */
    public Uni<RefreshOutcome> refresh(String presented, String clientIp, String clientNetwork) {
        if (presented == null || presented.isBlank() || presented.length() > 200) {
            return Uni.createFrom().failure(Problem.unauthorized(INVALID));
        }
        return Panache.withTransaction(() -> rotateOrRevoke(presented, clientIp, clientNetwork));
    }

    /** Ends the caller's own session. */
    public Uni<Void> logout(UUID sessionId, String clientIp) {
        return Panache.withTransaction(() -> revoke(sessionId, "logout", clientIp));
    }

    /** Ends every session of the caller's account, the one asking included. */
    public Uni<Void> logoutEverywhere(UUID accountId, String clientIp) {
        return Panache.withTransaction(() -> revokeAll(accountId, null, "logout-all", clientIp));
    }

    /**
     * Revokes one session: the database forgets its refresh tokens, token-guard refuses its access tokens. Runs
     * inside the caller's transaction.
     */
    public Uni<Void> revoke(UUID sessionId, String reason, String clientIp) {
        Instant now = Instant.now();
        return sessions.findById(sessionId).chain(session -> {
            if (session == null) {
                return Uni.createFrom().voidItem();
            }
            return markRevoked(session, reason, now, clientIp);
        });
    }

    /** Revokes every live session of an account except, optionally, one. Runs inside the caller's transaction. */
    public Uni<Void> revokeAll(UUID accountId, UUID except, String reason, String clientIp) {
        Instant now = Instant.now();
        return sessions.unrevokedOf(accountId).chain(found -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (AuthSession session : found) {
                if (!session.id.equals(except)) {
                    chain = chain.chain(() -> markRevoked(session, reason, now, clientIp));
                }
            }
            return chain;
        });
    }

    /**
     * Revokes every live session used (opened or refreshed) since {@code since}: for a leaked signing key, every
     * session that may hold a token it signed. Runs inside the caller's transaction; answers the sessions revoked.
     */
    public Uni<List<UUID>> revokeUsedSince(Instant since, String reason) {
        Instant now = Instant.now();
        return sessions.unrevokedUsedSince(since).chain(found -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (AuthSession session : found) {
                chain = chain.chain(() -> markRevoked(session, reason, now, null));
            }
            return chain.replaceWith(found.stream().map(session -> session.id).toList());
        });
    }

    private Uni<RefreshOutcome> rotateOrRevoke(String presented, String clientIp, String clientNetwork) {
        Instant now = Instant.now();
        return refreshTokens.lockedByHash(hash(presented)).chain(token -> {
            if (token == null) {
                return Uni.createFrom().failure(Problem.unauthorized(INVALID));
            }
            return sessions.lockedById(token.sessionId).chain(session -> {
                if (session == null || !session.isLive(now, config)) {
                    return Uni.createFrom().failure(Problem.unauthorized(INVALID));
                }
                if (token.usedAt == null) {
                    if (clientNetwork != null) {
                        session.clientNetwork = clientNetwork;
                    }
                    return rotate(token, presented, session, now).map(SessionService::rotated);
                }
                return refreshTokens.lockedByHash(token.successorHash).chain(successor -> {
                    boolean withinGrace = now.isBefore(token.usedAt.plus(config.reuseGrace()));
                    if (withinGrace && successor != null && successor.usedAt == null) {
                        // The two-tab race: the same (still unused) successor again, with a fresh access token.
                        return repeatRotation(presented, token.successorHash, session, now).map(SessionService::rotated);
                    }
                    return killFamily(session, now, clientIp);
                });
            });
        });
    }

    private Uni<IssuedTokens> rotate(RefreshToken token, String presented, AuthSession session, Instant now) {
        return accounts.findById(session.accountId).chain(account -> {
            if (account == null || account.lockedAt != null) { // a lock ends the sessions too; this covers a race with it
                return Uni.createFrom().failure(Problem.unauthorized(INVALID));
            }
            session.lastUsedAt = now;
            String successor = successors.successorOf(presented);
            token.usedAt = now;
            token.successorHash = hash(successor);
            return store(successor, session, now).map(ignored -> tokens(account, session, successor, now));
        });
    }

    private Uni<IssuedTokens> repeatRotation(String presented, String successorHash, AuthSession session, Instant now) {
        String successor = successors.possibleSuccessorsOf(presented).stream()
                .filter(candidate -> hash(candidate).equals(successorHash)).findFirst().orElse(null);
        return accounts.findById(session.accountId).map(account -> {
            if (account == null || account.lockedAt != null || successor == null) {
                throw Problem.unauthorized(INVALID);
            }
            return tokens(account, session, successor, now);
        });
    }

    private static RefreshOutcome rotated(IssuedTokens tokens) {
        return new RefreshOutcome.Rotated(tokens);
    }

    private Uni<RefreshOutcome> killFamily(AuthSession session, Instant now, String clientIp) {
        return audit.record(AuditLog.Type.REFRESH_REUSE_DETECTED, session.accountId, session.id, clientIp, "refresh token reused")
                .chain(() -> markRevoked(session, "refresh-reuse", now, clientIp))
                .replaceWith(new RefreshOutcome.FamilyRevoked(session.id));
    }

    private Uni<Void> markRevoked(AuthSession session, String reason, Instant now, String clientIp) {
        session.revokedAt = now;
        session.revokeReason = reason;
        // Redis first inside the transaction: if it fails, nothing is marked and the caller can retry.
        return revocations.revokeSession(session.id.toString())
                .chain(() -> audit.record(AuditLog.Type.SESSION_REVOKED, session.accountId, session.id, clientIp, reason));
    }

    private Uni<IssuedTokens> issue(Account account, AuthSession session, Instant now) {
        String refresh = newRefreshToken();
        return store(refresh, session, now).map(ignored -> tokens(account, session, refresh, now));
    }

    private Uni<RefreshToken> store(String refreshToken, AuthSession session, Instant now) {
        RefreshToken stored = new RefreshToken();
        stored.tokenHash = hash(refreshToken);
        stored.sessionId = session.id;
        stored.issuedAt = now;
        return refreshTokens.persist(stored);
    }

    private IssuedTokens tokens(Account account, AuthSession session, String refreshToken, Instant now) {
        // Read at every login and refresh: the first refresh after the password change brings the account's own groups.
        Set<String> groups = account.passwordChangeRequired ? Set.of(PasswordChangeOnly.GROUP) : account.groups();
        SignInProof proof = session.signInProof();
        AccessTokens.Minted access = accessTokens.forUser(account.id, account.displayName, account.email, account.emailVerified,
                session.id, groups, proof.amr(), proof.at());
        Instant refreshExpiresAt = min(session.absoluteExpiresAt, now.plus(config.idleLifetime()));
        return new IssuedTokens(AccountView.of(account), session.id, access.token(), access.expiresAt(), refreshToken,
                refreshExpiresAt).passwordChangeRequired(account.passwordChangeRequired);
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    /** 256 bits from a CSPRNG, base64url. */
    static String newRefreshToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String hash(String refreshToken) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(refreshToken.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
