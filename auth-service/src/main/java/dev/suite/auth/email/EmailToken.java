package dev.suite.auth.email;

import java.time.Instant;
import java.util.UUID;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A link of the address flows, as the SHA-256 of its token only (V10__verified_email_and_email_change.sql). */
@Entity
@Table(name = "email_token")
public class EmailToken extends PanacheEntityBase {

    public static final String VERIFY = "verify";
    public static final String CHANGE = "change";
    public static final String UNDO = "undo";

    @Id
    @Column(name = "token_hash")
    public String tokenHash;

    @Column(nullable = false)
    public String purpose;

    @Column(name = "account_id", nullable = false)
    public UUID accountId;

    /** verify: the address it proves; change: the new address; undo: the old address it gives back. */
    @Column(nullable = false)
    public String email;

    /** change: the address the account must still have for the link to work. */
    @Column(name = "bound_email")
    public String boundEmail;

    @Column(name = "issued_at", nullable = false)
    public Instant issuedAt;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;
}
