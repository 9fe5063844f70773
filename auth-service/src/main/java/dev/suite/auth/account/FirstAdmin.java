package dev.suite.auth.account;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.jboss.logging.Logger;

import dev.suite.auth.audit.AuditLog;
import dev.suite.auth.password.PasswordHashing;
import dev.suite.auth.password.PasswordPolicy;
import dev.suite.auth.session.SessionService;
import dev.suite.names.DisplayName;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The first admin without SQL. At start, when its configuration names one ({@link FirstAdminConfig}), the service
 * creates that account with the admin role, or promotes the account that already has the address, with the initial
 * password, which must be replaced at the first sign-in (PasswordChangeOnly). Once per address: the database records
 * it (auth.bootstrap_admin, V8), so a later start, or a replica starting at the same moment, changes nothing, and the
 * admin's own password is never reset. A promoted account's sessions end: whoever registered the address before
 * cannot carry a session into the admin role (a refresh would have minted admin tokens).
 */
@ApplicationScoped
public class FirstAdmin {

    private static final Logger LOG = Logger.getLogger(FirstAdmin.class);
    /** Start-up work, nobody's share of the hashing pool (HashingPool): replicas never compete within one process. */
    private static final List<String> HASHING_OWNER = List.of();

    public enum Outcome {
        CREATED, PROMOTED, DONE_BEFORE
    }

    public record Result(UUID accountId, Outcome outcome) {
    }

    private final FirstAdminConfig config;
    private final PasswordPolicy policy;
    private final PasswordHashing hashing;
    private final SessionService sessions;
    private final AuditLog audit;

    FirstAdmin(FirstAdminConfig config, PasswordPolicy policy, PasswordHashing hashing, SessionService sessions, AuditLog audit) {
        this.config = config;
        this.policy = policy;
        this.hashing = hashing;
        this.sessions = sessions;
        this.audit = audit;
    }

    /** Before the first request: a start that cannot make the configured admin fails, and says why. */
    void onStart(@Observes StartupEvent event) throws Throwable {
        if (config.email().isEmpty()) {
            return;
        }
        String password = config.initialPassword().filter(value -> !value.isBlank()).orElseThrow(() -> new IllegalStateException(
                "auth.first-admin.email is set but auth.first-admin.initial-password is not (in %prod: Vault key "
                        + "initial-admin-password of secret/suite/auth-service)"));
        Result result = VertxContextSupport.subscribeAndAwait(() -> ensure(config.email().get(), password)
                .ifNoItem().after(Duration.ofSeconds(60)).fail());
        LOG.infof("First admin %s: %s (account %s)", config.email().get(), switch (result.outcome()) {
            case CREATED -> "created; the initial password must be changed at the first sign-in";
            case PROMOTED -> "an existing account promoted; its password is the initial one, to be changed at the first sign-in";
            case DONE_BEFORE -> "made at an earlier start; nothing changed";
        }, result.accountId());
    }

    /**
     * Makes {@code rawEmail} the admin with {@code initialPassword}, unless that address was bootstrapped before. The
     * password meets the policy like any other (it guards the account until it is replaced).
     */
    public Uni<Result> ensure(String rawEmail, String initialPassword) {
        String email = EmailAddress.normalise(rawEmail);
        String name = DisplayName.accept(config.displayName());
        return policy.check(initialPassword, email, name, HASHING_OWNER)
                .chain(() -> hashing.hash(initialPassword, HASHING_OWNER))
                .chain(hash -> Panache.withTransaction(() -> bootstrap(email, name, hash).call(this::recordAndEndSessions)));
    }

    private Uni<Result> bootstrap(String email, String name, String hash) {
        return Panache.getSession().chain(session -> session.createNativeQuery(
                        "SELECT CAST(account_id AS text), outcome FROM auth.bootstrap_admin(:email, CAST(:id AS uuid), :name, :hash)")
                .setParameter("email", email).setParameter("id", UUID.randomUUID().toString()).setParameter("name", name)
                .setParameter("hash", hash).getSingleResult())
                .map(row -> {
                    Object[] columns = (Object[]) row;
                    return new Result(UUID.fromString((String) columns[0]),
                            Outcome.valueOf(((String) columns[1]).toUpperCase(java.util.Locale.ROOT).replace('-', '_')));
                });
    }

    private Uni<Void> recordAndEndSessions(Result result) {
        return switch (result.outcome()) {
            case DONE_BEFORE -> Uni.createFrom().voidItem();
            case CREATED -> audit.record(AuditLog.Type.ADMIN_BOOTSTRAPPED, result.accountId(), null, null, "created");
            case PROMOTED -> audit.record(AuditLog.Type.ADMIN_BOOTSTRAPPED, result.accountId(), null, null, "promoted")
                    .chain(() -> sessions.revokeAll(result.accountId(), null, "admin-bootstrap", null));
        };
    }
}
