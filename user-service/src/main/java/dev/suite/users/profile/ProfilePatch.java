package dev.suite.users.profile;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import dev.suite.names.DisplayName;
import dev.suite.problem.Problem;
import io.vertx.core.json.JsonObject;

/**
 * A PATCH body, checked field by field: absent fields stay as they are; {@code avatarUrl: null} clears it.
 * Values are stored as given; only lengths, control characters, the locale's shape and the avatar URL's
 * scheme are refused. A display name follows the suite's one set of rules (DisplayName), the same as at registration.
 */
record ProfilePatch(String displayName, String bio, String locale, String avatarUrl, boolean clearAvatar,
        String privateNotes) {

    private static final Set<String> FIELDS = Set.of("displayName", "bio", "locale", "avatarUrl", "privateNotes");
    private static final Pattern LOCALE = Pattern.compile("^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,4}$");

    static ProfilePatch from(JsonObject body) {
        if (body == null || body.isEmpty()) {
            throw Problem.badRequest("A JSON object with at least one of " + FIELDS + " is required.");
        }
        for (String field : body.fieldNames()) {
            if (!FIELDS.contains(field)) {
                throw Problem.badRequest("Unknown field; allowed: " + FIELDS + ".");
            }
        }
        String displayName = body.containsKey("displayName") ? DisplayName.accept(text(body, "displayName")) : null;
        String locale = text(body, "locale", 35, false);
        if (locale != null && !LOCALE.matcher(locale).matches()) {
            throw Problem.badRequest("locale must be a language tag such as en or pt-BR.");
        }
        boolean clearAvatar = body.containsKey("avatarUrl") && body.getValue("avatarUrl") == null;
        String avatarUrl = clearAvatar ? null : text(body, "avatarUrl", 2048, false);
        if (avatarUrl != null) {
            checkAvatarUrl(avatarUrl);
        }
        return new ProfilePatch(displayName, text(body, "bio", 2000, true), locale, avatarUrl, clearAvatar,
                text(body, "privateNotes", 10_000, true));
    }

    void applyTo(Profile profile) {
        if (displayName != null) {
            profile.displayName = displayName;
        }
        if (bio != null) {
            profile.bio = bio;
        }
        if (locale != null) {
            profile.locale = locale;
        }
        if (avatarUrl != null || clearAvatar) {
            profile.avatarUrl = avatarUrl;
        }
        if (privateNotes != null) {
            profile.privateNotes = privateNotes;
        }
    }

    private static String text(JsonObject body, String field) {
        Object value = body.getValue(field);
        if (!(value instanceof String text)) {
            throw Problem.badRequest(field + " must be a string.");
        }
        return text;
    }

    private static String text(JsonObject body, String field, int maxLength, boolean multiline) {
        if (!body.containsKey(field)) {
            return null;
        }
        String text = text(body, field);
        if (text.codePointCount(0, text.length()) > maxLength) {
            throw Problem.badRequest(field + " must be at most " + maxLength + " characters long.");
        }
        boolean control = text.codePoints().anyMatch(c -> Character.isISOControl(c)
                && !(multiline && (c == '\n' || c == '\r' || c == '\t')));
        if (control) {
            throw Problem.badRequest(field + " must not contain control characters.");
        }
        return text;
    }

    private static void checkAvatarUrl(String value) {
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null || uri.getUserInfo() != null) {
                throw Problem.badRequest("avatarUrl must be an http or https URL with a host.");
            }
        } catch (URISyntaxException e) {
            throw Problem.badRequest("avatarUrl is not a valid URL.");
        }
    }
}
