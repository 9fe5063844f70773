package dev.suite.auth.reset;

import java.time.Instant;
import java.util.UUID;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The one live reset token of an account, as its SHA-256 only (V7__password_reset_and_mail_outbox.sql). */
@Entity
@Table(name = "password_reset_token")
public class PasswordResetToken extends PanacheEntityBase {

    @Id
    @Column(name = "account_id")
    public UUID accountId;

    @Column(name = "token_hash", nullable = false)
    public String tokenHash;

    /** SHA-256 of the password hash this token may replace: any other change of the password kills the token. */
    @Column(name = "password_hash_digest", nullable = false)
    public String passwordHashDigest;

    @Column(name = "issued_at", nullable = false)
    public Instant issuedAt;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;
}
