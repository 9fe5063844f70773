package dev.suite.users.profile;

import java.time.Instant;
import java.util.UUID;

import dev.suite.problem.Problem;
import dev.suite.users.account.AuthServiceClient;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Profiles, always for one owner: the caller's own id from the verified token (or, for admins, the id they
 * asked for), enforced again by row-level security. A profile is created on first access, from the display
 * name in the token: no call between services is needed at registration.
 */
@ApplicationScoped
public class ProfileService {

    private final AuthServiceClient auth;
    private final ProfileReads reads;

    ProfileService(AuthServiceClient auth, ProfileReads reads) {
        this.auth = auth;
        this.reads = reads;
    }

    public Uni<ProfileView> mine(UUID owner, String displayName) {
        return reads.find(owner).chain(found -> found != null ? Uni.createFrom().item(found)
                : OwnerScope.inTransactionOf(owner, () -> findOrCreate(owner, displayName)).map(ProfileView::of));
    }

    public Uni<ProfileView> update(UUID owner, String displayName, ProfilePatch patch) {
        return OwnerScope.inTransactionOf(owner, () -> findOrCreate(owner, displayName).invoke(profile -> {
            patch.applyTo(profile);
            profile.updatedAt = Instant.now();
        })).map(ProfileView::of);
    }

    /**
     * Deletes the profile and asks the auth service to delete the account, inside one transaction of ours:
     * if the auth service fails, the profile delete is rolled back and the user can retry; the auth side is
     * idempotent, so a retry after any failure completes the deletion. A wrong password leaves everything whole.
     */
    public Uni<Void> deleteMine(UUID owner, UUID sessionId, String currentPassword) {
        return OwnerScope.inTransactionOf(owner, () -> Profile.delete("id", owner)
                .chain(() -> Panache.flush())
                .chain(() -> auth.deleteAccount(owner, sessionId, currentPassword)));
    }

    public Uni<ProfileView> forAdmin(UUID id) {
        return reads.find(id).map(profile -> {
            if (profile == null) {
                throw new Problem(404, "Not Found", "No such user.");
            }
            return profile;
        });
    }

    /** The card of a user whose profile exists (it is made at their first visit), for another service. */
    public Uni<ProfileCard> card(UUID id) {
        return forAdmin(id).map(ProfileCard::of);
    }

    private static Uni<Profile> findOrCreate(UUID owner, String displayName) {
        return Profile.<Profile>findById(owner).chain(found -> found != null ? Uni.createFrom().item(found) : create(owner, displayName));
    }

    private static Uni<Profile> create(UUID owner, String displayName) {
        // Concurrent first requests may both insert: ON CONFLICT keeps exactly one row.
        return Panache.getSession().chain(session -> session.createNativeQuery(
                "INSERT INTO profile (id, display_name, created_at, updated_at) VALUES (?1, ?2, now(), now()) "
                        + "ON CONFLICT (id) DO NOTHING")
                .setParameter(1, owner).setParameter(2, displayName == null || displayName.isBlank() ? "" : displayName)
                .executeUpdate())
                .chain(() -> Profile.<Profile>findById(owner));
    }
}
