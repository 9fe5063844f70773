package dev.suite.auth.token;

import java.util.Locale;

/** Where a key of the ring stands; stored lower-case in {@code signing_key.state}. */
public enum KeyState {
    /** Published, not signing yet: verifiers learn it before it signs. */
    NEXT,
    /** Signs every new token. */
    CURRENT,
    /** Published until the tokens it signed have expired. */
    PREVIOUS,
    /** Kept for the record, never published. */
    RETIRED,
    /** Compromised: withdrawn from the key set at once, never published or used again. */
    WITHDRAWN;

    public String column() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static KeyState of(String column) {
        return valueOf(column.toUpperCase(Locale.ROOT));
    }

    public boolean published() {
        return this == NEXT || this == CURRENT || this == PREVIOUS;
    }
}
