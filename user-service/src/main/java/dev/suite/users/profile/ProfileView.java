package dev.suite.users.profile;

import java.time.Instant;
import java.util.UUID;

/** A profile as JSON. Values are returned exactly as stored and never rendered as HTML by this service. */
public record ProfileView(UUID id, String displayName, String bio, String locale, String avatarUrl, String privateNotes,
        Instant updatedAt) {

    static ProfileView of(Profile profile) {
        return new ProfileView(profile.id, profile.displayName, profile.bio, profile.locale, profile.avatarUrl,
                profile.privateNotes, profile.updatedAt);
    }
}
