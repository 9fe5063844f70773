package dev.suite.users.profile;

import java.util.UUID;

/** What another service may know of a user: the name to address them by and their language; never private data. */
public record ProfileCard(UUID id, String displayName, String locale) {

    static ProfileCard of(ProfileView profile) {
        return new ProfileCard(profile.id(), profile.displayName(), profile.locale());
    }
}
