package dev.suite.auth.admin;

import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import dev.suite.auth.account.Account;
import dev.suite.auth.account.AccountRepository;
import dev.suite.auth.audit.AuditLog;
import dev.suite.auth.factor.SecondFactors;
import dev.suite.auth.mail.MailOutbox;
import dev.suite.auth.session.SessionService;
import dev.suite.auth.session.SessionView;
import dev.suite.problem.Problem;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.panache.common.Page;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What an admin does to accounts: find them, look at one, lock and unlock it, grant and remove the admin role. Locks
 * and roles change only through auth.set_account_locked and auth.set_admin_role (V9), which also refuse to leave no
 * unlocked admin; every change is audited with the admin as actor. Nothing here reads or answers a password hash.
 */
@ApplicationScoped
public class AccountAdministration {

    static final String ADMIN = "admin";
    public static final int MAX_PAGE = 100;

    /** SQLSTATE insufficient_privilege: what the V9 functions raise for the last unlocked admin. */
    private static final String REFUSED_BY_DATABASE = "42501";

    private final AccountRepository accounts;
    private final SessionService sessions;
    private final AuditLog audit;

    private final SecondFactors secondFactors;
    private final MailOutbox outbox;

    AccountAdministration(AccountRepository accounts, SessionService sessions, AuditLog audit, SecondFactors secondFactors, MailOutbox outbox) {
        this.secondFactors = secondFactors;
        this.outbox = outbox;
        this.accounts = accounts;
        this.sessions = sessions;
        this.audit = audit;
    }

    /** Accounts whose email is {@code email} (or starts with it), by email, after {@code after}; at most {@code size}. */
    public Uni<AccountPage> find(String email, boolean prefix, String after, int size) {
        String wanted = email.trim().toLowerCase(Locale.ROOT);
        String from = after == null ? "" : after;
        String condition = prefix ? "email like ?1 escape '\\' and email > ?2" : "email = ?1 and email > ?2";
        Object pattern = prefix ? likePrefix(wanted) : wanted;
        return Panache.withSession(() -> accounts.find(condition + " order by email", pattern, from).page(Page.ofSize(size)).list())
                .map(found -> {
                    List<AdminAccountView> views = found.stream().map(AdminAccountView::of).toList();
                    String next = views.size() == size ? views.get(views.size() - 1).email() : null;
                    return new AccountPage(views, next);
                });
    }

    public Uni<AdminAccountView> view(UUID id) {
        return Panache.withSession(() -> existing(id)).map(AdminAccountView::of);
    }

    /** The account's live sessions (the list its owner sees, none marked as the one asking). */
    public Uni<List<SessionView>> sessionsOf(UUID id) {
        return Panache.withSession(() -> existing(id)).chain(account -> sessions.liveSessionsOf(account.id, null));
    }

    /**
     * Locks the account and ends every session of it, as logout-all does (refresh tokens refused, access tokens
     * revoked everywhere). An admin cannot lock themselves: their own sessions would end mid-action, and if they were
     * the last admin nobody could unlock anyone.
     */
    public Uni<Void> lock(UUID actor, UUID target, String clientIp) {
        if (actor.equals(target)) {
            return Uni.createFrom().failure(conflict("An admin cannot lock their own account."));
        }
        return Panache.withTransaction(() -> setLocked(target, true)
                .chain(() -> sessions.revokeAll(target, null, "admin-lock", clientIp))
                .chain(() -> audit.recordByAdmin(AuditLog.Type.ACCOUNT_LOCKED, target, actor, clientIp, null)))
                .onFailure(AccountAdministration::refusedByDatabase)
                .transform(refused -> conflict("The last unlocked admin cannot be locked."));
    }

    public Uni<Void> unlock(UUID actor, UUID target, String clientIp) {
        return Panache.withTransaction(() -> setLocked(target, false)
                .chain(() -> audit.recordByAdmin(AuditLog.Type.ACCOUNT_UNLOCKED, target, actor, clientIp, null)));
    }

    /** The role is in the account's tokens from its next sign-in or refresh. */
    public Uni<Void> grantAdmin(UUID actor, UUID target, String clientIp) {
        return Panache.withTransaction(() -> setAdmin(target, true)
                .chain(() -> audit.recordByAdmin(AuditLog.Type.ADMIN_ROLE_GRANTED, target, actor, clientIp, null)));
    }

    /**
     * Removes the role and ends the account's sessions: their access tokens carry the admin group until they expire.
     * Nobody removes their own role, so an admin cannot leave the service without one by mistake (the database also
     * refuses to remove it from the last unlocked admin).
     */
    public Uni<Void> removeAdmin(UUID actor, UUID target, String clientIp) {
        if (actor.equals(target)) {
            return Uni.createFrom().failure(conflict("An admin cannot remove their own admin role."));
        }
        return Panache.withTransaction(() -> setAdmin(target, false)
                .chain(() -> sessions.revokeAll(target, null, "admin-role-removed", clientIp))
                .chain(() -> audit.recordByAdmin(AuditLog.Type.ADMIN_ROLE_REMOVED, target, actor, clientIp, null)))
                .onFailure(AccountAdministration::refusedByDatabase)
                .transform(refused -> conflict("The last unlocked admin keeps the admin role."));
    }

    /**
     * Removes every second factor of an account whose owner lost them all (SecondFactors.resetByAdmin: audited with the
     * admin as actor, the owner told, every session ended). Not on the admin's own account: a stolen admin session must
     * not be able to strip its own account's factors; another admin does it.
     */
    public Uni<Void> resetSecondFactors(UUID actor, UUID target, String clientIp) {
        if (actor.equals(target)) {
            return Uni.createFrom().failure(conflict("An admin cannot reset their own second factors: another admin can."));
        }
        return Panache.withTransaction(() -> secondFactors.resetByAdmin(target, actor, clientIp)).invoke(outbox::soon);
    }

    private Uni<Account> existing(UUID id) {
        return accounts.findById(id).map(account -> {
            if (account == null) {
                throw noSuchAccount();
            }
            return account;
        });
    }

    private static Uni<Void> call(String sql, UUID target, boolean value) {
        return Panache.getSession().chain(session -> session.createNativeQuery(sql, Boolean.class)
                .setParameter("id", target.toString()).setParameter("value", value).getSingleResult())
                .map(found -> {
                    if (!Boolean.TRUE.equals(found)) {
                        throw noSuchAccount();
                    }
                    return null;
                });
    }

    private static Uni<Void> setLocked(UUID target, boolean locked) {
        return call("SELECT auth.set_account_locked(CAST(:id AS uuid), :value)", target, locked);
    }

    private static Uni<Void> setAdmin(UUID target, boolean admin) {
        return call("SELECT auth.set_admin_role(CAST(:id AS uuid), :value)", target, admin);
    }

    /** The prefix as a LIKE pattern that matches only itself: its own %, _ and \ escaped. */
    static String likePrefix(String prefix) {
        return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    private static boolean refusedByDatabase(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            // Hibernate Reactive hands it on as a JDBC-style SQLException; the reactive client's own is a PgException.
            if (t instanceof PgException pg && REFUSED_BY_DATABASE.equals(pg.getSqlState())
                    || t instanceof SQLException sql && (REFUSED_BY_DATABASE.equals(sql.getSQLState())
                            || sql.getMessage() != null && sql.getMessage().contains("(" + REFUSED_BY_DATABASE + ")"))) {
                return true;
            }
        }
        return false;
    }

    static Problem noSuchAccount() {
        return new Problem(404, "Not Found", "No account has this id.");
    }

    private static Problem conflict(String detail) {
        return new Problem(409, "Conflict", detail);
    }
}
