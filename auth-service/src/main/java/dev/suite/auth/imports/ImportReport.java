package dev.suite.auth.imports;

import java.util.List;

/**
 * What an import did, user by user, in the order of the export: created, skipped (the email already has an account,
 * which is never touched) or refused (with the reason). Never a hash, a salt or any other secret part.
 */
public record ImportReport(int created, int skipped, int refused, List<UserOutcome> users) {

    public enum Outcome {
        created, skipped, refused
    }

    /** One user of the export: its position, Keycloak username and normalised email (when it has a valid one). */
    public record UserOutcome(int index, String username, String email, Outcome outcome, String reason) {
    }

    static ImportReport of(List<UserOutcome> users) {
        return new ImportReport(count(users, Outcome.created), count(users, Outcome.skipped), count(users, Outcome.refused), users);
    }

    private static int count(List<UserOutcome> users, Outcome outcome) {
        return (int) users.stream().filter(user -> user.outcome() == outcome).count();
    }
}
