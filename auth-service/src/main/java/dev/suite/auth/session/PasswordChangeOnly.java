package dev.suite.auth.session;

/**
 * The one thing a session may do while its account must replace a password someone else chose (the first admin's
 * initial password): its access tokens carry this group instead of the account's ({@code user}, {@code admin}), so
 * every route that wants a user or an admin, here and in every other service, refuses them as it refuses any token
 * without that role. Only the password change and the logout name it (FirstAdminTest checks every route).
 */
public final class PasswordChangeOnly {

    /** The only group of such a session's access tokens. */
    public static final String GROUP = "password-change";

    private PasswordChangeOnly() {
    }
}
