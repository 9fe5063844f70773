package dev.suite.users.profile;

import java.time.Instant;
import java.util.UUID;

/**
 * A profile as JSON. Values are returned exactly as stored and never rendered as HTML by this service. The email is
 * the auth service's (from the caller's own token), shown to its owner only; an admin's view has none.
 */
public record ProfileView(UUID id, String email, String displayName, String bio, String locale, String avatarUrl,
        String privateNotes, Instant updatedAt) {

    static ProfileView of(Profile profile) {
        return new ProfileView(profile.id, null, profile.displayName, profile.bio, profile.locale, profile.avatarUrl,
                profile.privateNotes, profile.updatedAt);
    }

    ProfileView withEmail(String ownersEmail) {
        return new ProfileView(id, ownersEmail, displayName, bio, locale, avatarUrl, privateNotes, updatedAt);
    }
}
