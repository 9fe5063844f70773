package dev.suite.auth.audit;

import java.time.Instant;
import java.util.UUID;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "audit_event")
public class AuditEvent extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "occurred_at", nullable = false)
    public Instant occurredAt;

    @Column(nullable = false)
    public String type;

    @Column(name = "account_id")
    public UUID accountId;

    /** Who caused the event when it is not the account's owner (an admin); null otherwise. */
    @Column(name = "actor_id")
    public UUID actorId;

    @Column(name = "session_id")
    public UUID sessionId;

    @Column(name = "client_ip")
    public String clientIp;

    public String detail;
}
