package dev.suite.auth.imports;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.jboss.logging.Logger;

import dev.suite.auth.account.Account;
import dev.suite.auth.account.AccountRepository;
import dev.suite.auth.account.EmailAddress;
import dev.suite.auth.audit.AuditLog;
import dev.suite.auth.password.ImportedHashes.Refused;
import dev.suite.names.DisplayName;
import dev.suite.problem.Problem;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Creates accounts from a Keycloak realm export. Each user is read on its own (a refused one stops nothing else) and
 * written in its own transaction with its audit row. An email that already has an account is skipped and that
 * account left as it is: an import never overwrites, never makes an admin (the account gets the column's default
 * role) and never verifies a password, so it costs no hashing; the hash is checked, within the throttles and the
 * hashing pool like any other, at the owner's next sign-in, which replaces it (PasswordHashing's rehash).
 */
@ApplicationScoped
public class KeycloakImport {

    /** Users per request: make import-keycloak sends an export in batches of this many at most. */
    public static final int MAX_USERS = 500;
    private static final Logger LOG = Logger.getLogger(KeycloakImport.class);
    private static final int MAX_ECHOED_USERNAME = 100;

    private record Candidate(String email, String displayName, String storedHash, String algorithm) {
    }

    private final AccountRepository accounts;
    private final AuditLog audit;

    KeycloakImport(AccountRepository accounts, AuditLog audit) {
        this.accounts = accounts;
        this.audit = audit;
    }

    public Uni<ImportReport> run(KeycloakRealmExport export, UUID admin, String clientIp) {
        List<KeycloakRealmExport.User> users = export.users();
        if (users.size() > MAX_USERS) {
            throw Problem.badRequest("An import takes at most " + MAX_USERS + " users per request; this one has "
                    + users.size() + " (make import-keycloak sends an export in batches).");
        }
        List<Integer> indexes = new ArrayList<>();
        for (int i = 0; i < users.size(); i++) {
            indexes.add(i);
        }
        return Multi.createFrom().iterable(indexes)
                .onItem().transformToUniAndConcatenate(i -> importOne(i, users.get(i), admin, clientIp))
                .collect().asList()
                .map(ImportReport::of)
                .invoke(report -> LOG.infof("Keycloak import by %s: %d created, %d skipped, %d refused", admin,
                        report.created(), report.skipped(), report.refused()));
    }

    private Uni<ImportReport.UserOutcome> importOne(int index, KeycloakRealmExport.User user, UUID admin, String clientIp) {
        String username = user == null || user.username() == null ? null
                : user.username().substring(0, Math.min(user.username().length(), MAX_ECHOED_USERNAME));
        if (user == null) {
            return Uni.createFrom().item(refused(index, null, null, "not a user object"));
        }
        String email;
        try {
            email = EmailAddress.normalise(user.email());
        } catch (Problem invalid) {
            return Uni.createFrom().item(refused(index, username, null, user.email() == null ? "no email" : "the email is not a valid address"));
        }
        Candidate candidate;
        try {
            candidate = candidate(user, email);
        } catch (Refused refusal) {
            return Uni.createFrom().item(refused(index, username, email, refusal.getMessage()));
        }
        return Panache.withTransaction(() -> accounts.findByEmail(email).chain(existing -> existing != null
                ? Uni.createFrom().item(outcome(index, username, email, ImportReport.Outcome.skipped, "an account with this email exists"))
                : accounts.persist(account(candidate)).chain(saved -> audit.record(AuditLog.Type.ACCOUNT_IMPORTED, saved.id, null,
                        clientIp, "keycloak " + candidate.algorithm() + ", by " + admin))
                        .replaceWith(outcome(index, username, email, ImportReport.Outcome.created, null))))
                // A registration of the same email that committed meanwhile: its account stays, this one is skipped.
                .onFailure(AccountRepository::isUniqueViolation)
                .recoverWithItem(() -> outcome(index, username, email, ImportReport.Outcome.skipped, "an account with this email exists"));
    }

    private static Candidate candidate(KeycloakRealmExport.User user, String email) {
        if (user.serviceAccountClientId() != null) {
            throw new Refused("a client's service account, not a person");
        }
        if (Boolean.FALSE.equals(user.enabled())) {
            throw new Refused("disabled in Keycloak");
        }
        List<KeycloakRealmExport.Credential> passwords = user.credentials() == null ? List.of()
                : user.credentials().stream().filter(c -> c != null && "password".equals(c.type())).toList();
        if (passwords.isEmpty()) {
            throw new Refused(user.federationLink() != null ? "no password in Keycloak (a federated user: its password is in "
                    + "the user federation, e.g. LDAP)" : "no password credential");
        }
        if (passwords.size() > 1) {
            throw new Refused("more than one password credential");
        }
        KeycloakRealmExport.Credential password = passwords.get(0);
        String storedHash = KeycloakPasswords.storedHash(password);
        return new Candidate(email, displayName(user, email), storedHash, KeycloakPasswords.algorithm(password).toLowerCase(Locale.ROOT));
    }

    /** First and last name; else the username; else the email's local part: the first that is a valid display name. */
    private static String displayName(KeycloakRealmExport.User user, String email) {
        String full = ((user.firstName() == null ? "" : user.firstName()) + " " + (user.lastName() == null ? "" : user.lastName())).strip();
        String lastProblem = null;
        for (String candidate : new String[] { full, user.username(), EmailAddress.localPart(email) }) {
            if (candidate == null || candidate.isBlank()) {
                continue;
            }
            try {
                return DisplayName.accept(candidate);
            } catch (Problem invalid) {
                lastProblem = invalid.getMessage();
            }
        }
        throw new Refused("no usable display name" + (lastProblem == null ? "" : ": " + lastProblem));
    }

    private static Account account(Candidate candidate) {
        Account account = new Account();
        account.id = UUID.randomUUID();
        account.email = candidate.email();
        account.displayName = candidate.displayName();
        account.passwordHash = candidate.storedHash();
        // roles: the column's default, 'user' (the service may not write roles; nothing from Keycloak's roles comes over).
        account.createdAt = Instant.now();
        account.updatedAt = account.createdAt;
        return account;
    }

    private static ImportReport.UserOutcome refused(int index, String username, String email, String reason) {
        return outcome(index, username, email, ImportReport.Outcome.refused, reason);
    }

    private static ImportReport.UserOutcome outcome(int index, String username, String email, ImportReport.Outcome outcome,
            String reason) {
        return new ImportReport.UserOutcome(index, username, email, outcome, reason);
    }
}
