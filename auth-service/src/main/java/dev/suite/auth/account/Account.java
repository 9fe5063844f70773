package dev.suite.auth.account;

import java.time.Instant;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "account")
public class Account extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false, unique = true)
    public String email;

    @Column(name = "display_name", nullable = false)
    public String displayName;

    @Column(name = "password_hash", nullable = false)
    public String passwordHash;

    /**
     * Comma-separated groups that go into the access token. Never written by the service: a new account gets the
     * column's default ('user'), and auth_app has no privilege on it (V5__granular_privileges.sql), so no query the
     * service can be tricked into running makes an admin.
     */
    @Column(nullable = false, insertable = false, updatable = false)
    public String roles;

    /**
     * Someone else chose this account's password (the first admin's initial one): until its owner replaces it, its
     * sessions may only change the password (SessionService). Set only by auth.bootstrap_admin (V8), cleared by the
     * owner's password change; a registration leaves the column's default, false.
     */
    @Column(name = "password_change_required", nullable = false, insertable = false)
    public boolean passwordChangeRequired;

    /**
     * When an admin locked the account; null when it is not locked. A locked account signs in and refreshes nowhere.
     * Written only by auth.set_account_locked (V9): auth_app has no privilege on the column, so no reset or change of
     * the password unlocks it.
     */
    @Column(name = "locked_at", insertable = false, updatable = false)
    public Instant lockedAt;

    /**
     * Whether the owner proved the address by a link mailed to it (email.EmailService); the access token carries it as
     * {@code email_verified}. A new account starts unconfirmed (the column's default).
     */
    @Column(name = "email_verified", nullable = false, insertable = false)
    public boolean emailVerified;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public Set<String> groups() {
        return new TreeSet<>(Arrays.asList(roles.split(",")));
    }
}
