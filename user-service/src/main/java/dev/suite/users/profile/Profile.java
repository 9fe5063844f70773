package dev.suite.users.profile;

import java.time.Instant;
import java.util.UUID;

import org.hibernate.annotations.DynamicUpdate;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A user's profile and private data; its id is the account id (the token's subject). */
@Entity
// An UPDATE names only the columns that changed: the app role may update no others (V3__granular_privileges.sql).
@DynamicUpdate
@Table(name = "profile")
public class Profile extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "display_name", nullable = false)
    public String displayName;

    @Column(nullable = false)
    public String bio;

    @Column(nullable = false)
    public String locale;

    @Column(name = "avatar_url")
    public String avatarUrl;

    @Column(name = "private_notes", nullable = false)
    public String privateNotes;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
