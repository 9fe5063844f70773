package dev.suite.auth.account;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.suite.auth.audit.AuditLog;
import dev.suite.auth.password.PasswordHashing;
import dev.suite.auth.password.PasswordPolicy;
import dev.suite.names.DisplayName;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** New accounts. Everything is checked before the one transaction that writes the row and its audit event. */
@ApplicationScoped
public class RegistrationService {

    private final AccountRepository accounts;
    private final PasswordPolicy policy;
    private final PasswordHashing hashing;
    private final AuditLog audit;

    RegistrationService(AccountRepository accounts, PasswordPolicy policy, PasswordHashing hashing, AuditLog audit) {
        this.accounts = accounts;
        this.policy = policy;
        this.hashing = hashing;
        this.audit = audit;
    }

    /**
     * Creates the account if the email is free. The caller learns nothing either way (same answer, same hashing
     * and the same one audit row written), so registration cannot be used to find out who has an account; the
     * attempt on a taken email is recorded against that account, for the notice its owner will get by email.
     */
    public Uni<Void> register(String rawEmail, String password, String displayName, String clientKey) {
        String email = EmailAddress.normalise(rawEmail);
        String name = DisplayName.accept(displayName);
        List<String> owners = List.of("ip:" + clientKey);
        return policy.check(password, email, name, owners).chain(() -> hashing.hash(password, owners))
                .chain(hash -> Panache.withTransaction(() -> accounts.findByEmail(email)
                .chain(existing -> existing != null
                        ? audit.record(AuditLog.Type.REGISTRATION_FOR_EXISTING_EMAIL, existing.id, null, clientKey, null)
                        : accounts.persist(newAccount(email, name, hash))
                                .chain(saved -> audit.record(AuditLog.Type.REGISTERED, saved.id, null, clientKey, null)))))
                // Two registrations of one new email at once: the loser meets the unique index, and is told the same.
                .onFailure(AccountRepository::isUniqueViolation).recoverWithNull().replaceWithVoid();
    }

    private static Account newAccount(String email, String displayName, String hash) {
        Account account = new Account();
        account.id = UUID.randomUUID();
        account.email = email;
        account.displayName = displayName;
        account.passwordHash = hash;
        // roles: the column's default, 'user' (the service may not write roles).
        account.createdAt = Instant.now();
        account.updatedAt = account.createdAt;
        return account;
    }
}
