package dev.suite.auth.factor;

import java.time.Instant;
import java.util.UUID;

import org.hibernate.annotations.DynamicUpdate;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One recovery code, stored as its SHA-256 only (80 random bits: a fast hash is enough); spent once used. */
@Entity
@DynamicUpdate
@Table(name = "recovery_code")
public class RecoveryCode extends PanacheEntityBase {

    @Id
    @Column(name = "code_hash")
    public String codeHash;

    @Column(name = "account_id", nullable = false)
    public UUID accountId;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "used_at")
    public Instant usedAt;
}
