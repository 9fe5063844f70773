package dev.suite.auth.factor;

import java.time.Instant;
import java.util.UUID;

import org.hibernate.annotations.DynamicUpdate;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A passkey (WebAuthn credential) of an account: its public key and what the authenticator said about it (V13). */
@Entity
// An UPDATE names only the columns that changed: the app role may update no others (V13__passkeys.sql).
@DynamicUpdate
@Table(name = "passkey")
public class Passkey extends PanacheEntityBase {

    /** The credential id, base64url without padding, as the browser names it. */
    @Id
    @Column(name = "credential_id")
    public String credentialId;

    @Column(name = "account_id", nullable = false)
    public UUID accountId;

    /** The owner's label ("Laptop", "Phone"), shown in lists and in the notice mails. */
    @Column(nullable = false)
    public String name;

    /** webauthn4j's serialised AttestedCredentialData: AAGUID, credential id, COSE public key. */
    @Column(name = "attested_credential_data", nullable = false)
    public byte[] attestedCredentialData;

    /** The authenticator's signature counter as last seen (0: it keeps none). */
    @Column(name = "sign_count", nullable = false)
    public long signCount;

    @Column(name = "user_verified", nullable = false)
    public boolean userVerified;

    @Column(name = "backup_eligible", nullable = false)
    public boolean backupEligible;

    @Column(name = "backup_state", nullable = false)
    public boolean backupState;

    /** Whether it signs in by itself: off after a password reset until it completes a second step after the new password. */
    @Column(nullable = false)
    public boolean passwordless;

    /** The transports the browser reported (comma-separated), handed back in allowCredentials. */
    public String transports;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "last_used_at")
    public Instant lastUsedAt;
}
