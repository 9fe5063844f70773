package dev.suite.auth.factor;

import java.time.Instant;
import java.util.UUID;

import org.hibernate.annotations.DynamicUpdate;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An account's TOTP authenticator: its secret sealed (never in clear), confirmed once a first code proved it. */
@Entity
// An UPDATE names only the columns that changed: the app role may update no others (V11__second_factors.sql).
@DynamicUpdate
@Table(name = "totp_factor")
public class TotpFactor extends PanacheEntityBase {

    @Id
    @Column(name = "account_id")
    public UUID accountId;

    /** RingSealing's seal of the secret, bound to the account id. */
    @Column(name = "sealed_secret", nullable = false)
    public byte[] sealedSecret;

    @Column(name = "sealed_by", nullable = false)
    public String sealedBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /** Null while the enrolment waits for its first code: such a factor is never asked for at sign-in. */
    @Column(name = "confirmed_at")
    public Instant confirmedAt;

    /** The RFC 6238 step of the last code accepted: no code of that step or before is accepted again. */
    @Column(name = "last_used_step")
    public Long lastUsedStep;

    public boolean confirmed() {
        return confirmedAt != null;
    }
}
