package dev.suite.auth.mail;

import java.time.Instant;
import java.util.UUID;

import org.hibernate.annotations.DynamicUpdate;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One mail owed (V7__password_reset_and_mail_outbox.sql): what to send and to whom, never its text. */
@Entity
@DynamicUpdate
@Table(name = "mail_outbox")
public class OutboxMail extends PanacheEntityBase {

    @Id
    public UUID id;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public MailKind kind;

    @Column(nullable = false)
    public String email;

    @Column(name = "account_id")
    public UUID accountId;

    @Column(name = "client_ip")
    public String clientIp;

    @Column(nullable = false)
    public int attempts;

    @Column(name = "next_attempt_at", nullable = false)
    public Instant nextAttemptAt;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
