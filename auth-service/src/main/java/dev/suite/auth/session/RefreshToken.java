package dev.suite.auth.session;

import java.time.Instant;
import java.util.UUID;

import org.hibernate.annotations.DynamicUpdate;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A refresh token, stored only as its SHA-256; single use: once used it points at its successor. */
@Entity
// An UPDATE names only the columns that changed: the app role may update no others (V5__granular_privileges.sql).
@DynamicUpdate
@Table(name = "refresh_token")
public class RefreshToken extends PanacheEntityBase {

    @Id
    @Column(name = "token_hash")
    public String tokenHash;

    @Column(name = "session_id", nullable = false)
    public UUID sessionId;

    @Column(name = "issued_at", nullable = false)
    public Instant issuedAt;

    @Column(name = "used_at")
    public Instant usedAt;

    @Column(name = "successor_hash")
    public String successorHash;
}
