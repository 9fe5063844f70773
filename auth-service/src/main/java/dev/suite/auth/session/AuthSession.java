package dev.suite.auth.session;

import java.time.Instant;
import java.util.UUID;

import org.hibernate.annotations.DynamicUpdate;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One login: its id is the {@code sid} of every token minted from it. */
@Entity
// An UPDATE names only the columns that changed: the app role may update no others (V5__granular_privileges.sql).
@DynamicUpdate
@Table(name = "auth_session")
public class AuthSession extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "account_id", nullable = false)
    public UUID accountId;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "last_used_at", nullable = false)
    public Instant lastUsedAt;

    @Column(name = "absolute_expires_at", nullable = false)
    public Instant absoluteExpiresAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    @Column(name = "revoke_reason")
    public String revokeReason;

    /** What its owner sees of the device: a label from {@link DeviceNames}, never the raw User-Agent; null on old rows. */
    @Column(name = "device")
    public String device;

    /** The client's network (/24 or /48) at sign-in, then at each refresh; null on old rows. */
    @Column(name = "client_network")
    public String clientNetwork;

    /** How it signed in (RFC 8176 amr values, comma-separated: "pwd", "pwd,otp,mfa"); null on old rows: "pwd". */
    @Column(name = "amr")
    public String amr;

    /** When its user last proved who they are (sign-in, or a factor turned on in it); null on old rows: createdAt. */
    @Column(name = "auth_time")
    public Instant authTime;

    public SignInProof signInProof() {
        return new SignInProof(amr == null ? SignInProof.PASSWORD.amr() : java.util.List.of(amr.split(",")),
                authTime == null ? createdAt : authTime);
    }

    public boolean isLive(Instant now, SessionConfig config) {
        return revokedAt == null && now.isBefore(absoluteExpiresAt) && now.isBefore(lastUsedAt.plus(config.idleLifetime()));
    }
}
