package dev.suite.auth.account;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.suite.auth.audit.AuditLog;
import dev.suite.auth.mail.MailKind;
import dev.suite.auth.mail.MailOutbox;
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
    private final MailOutbox outbox;

    RegistrationService(AccountRepository accounts, PasswordPolicy policy, PasswordHashing hashing, AuditLog audit, MailOutbox outbox) {
        this.outbox = outbox;
        this.accounts = accounts;
        this.policy = policy;
        this.hashing = hashing;
        this.audit = audit;
    }

    /**
     * Creates the account if the email is free. The caller learns nothing either way (same answer, same hashing
     * and the same one audit row written), so registration cannot be used to find out who has an account; the
     * attempt on a taken email is recorded against that account, and its owner gets a notice by mail; a new account
     * gets the link that confirms its address. Either way one outbox row, sent after the answer (MailOutbox).
     */
    public Uni<Void> register(String rawEmail, String password, String displayName, String clientKey) {
        String email = EmailAddress.normalise(rawEmail);
        String name = DisplayName.accept(displayName);
        List<String> owners = List.of("ip:" + clientKey);
        return policy.check(password, email, name, owners).chain(() -> hashing.hash(password, owners))
                .chain(hash -> Panache.withTransaction(() -> accounts.findByEmail(email)
                .chain(existing -> existing != null
                        ? audit.record(AuditLog.Type.REGISTRATION_FOR_EXISTING_EMAIL, existing.id, null, clientKey, null)
                                .chain(() -> outbox.enqueue(MailKind.REGISTRATION_FOR_EXISTING_EMAIL, email, existing.id, clientKey))
                        : accounts.persist(newAccount(email, name, hash))
                                .chain(saved -> audit.record(AuditLog.Type.REGISTERED, saved.id, null, clientKey, null)
                                        .chain(() -> outbox.enqueue(MailKind.EMAIL_VERIFICATION_LINK, email, saved.id, clientKey))))))
                // Two registrations of one new email at once: the loser meets the unique index, and is told the same.
                .onFailure(AccountRepository::isUniqueViolation).recoverWithNull().replaceWithVoid().invoke(outbox::soon);
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
