package dev.suite.auth.mail;

/** What a row of the outbox asks for; each names its template (templates/mail/NAME_LANGUAGE.txt). */
public enum MailKind {
    /** A reset link for whoever owns the address, if anybody does (the outbox looks it up, not the request). */
    PASSWORD_RESET_LINK("password-reset-link"),
    /** Notice: the password was changed by a signed-in session. */
    PASSWORD_CHANGED("password-changed"),
    /** Notice: the password was replaced through a reset link, and every session ended. */
    PASSWORD_RESET_DONE("password-reset-done"),
    /** A link that proves the account's address (email.EmailLinks makes its token when the mail is sent). */
    EMAIL_VERIFICATION_LINK("email-verification-link"),
    /** Notice: somebody tried to register an account with this address, which has one already. */
    REGISTRATION_FOR_EXISTING_EMAIL("registration-for-existing-email"),
    /** A link to the new address of an email change; if that address has an account, its owner gets the next kind. */
    EMAIL_CHANGE_LINK("email-change-link"),
    /** Notice: somebody tried to move another account to this address, which has one already. */
    EMAIL_CHANGE_TO_TAKEN("email-change-to-taken"),
    /** Notice to the old, confirmed address of a confirmed change, with a link that undoes it. */
    EMAIL_CHANGED("email-changed"),
    /**
     * Notice to the old address of a confirmed change when that address was never confirmed: no undo link, which would
     * hand the account to whoever holds an address its owner may have mistyped.
     */
    EMAIL_CHANGED_UNCONFIRMED("email-changed-unconfirmed"),
    /** Notice: a sign-in from a browser that never signed in to this account before (no device token). */
    NEW_DEVICE_SIGN_IN("new-device-sign-in"),
    /** Notice: an authenticator app now guards the account's sign-ins (a second factor). */
    SECOND_FACTOR_ENABLED("second-factor-enabled"),
    /** Notice: the authenticator was turned off, and its recovery codes with it. */
    SECOND_FACTOR_DISABLED("second-factor-disabled"),
    /** Notice: a passkey was added to the account (it signs in with it alone, or after the password). */
    PASSKEY_ADDED("passkey-added"),
    /** Notice: a passkey was removed from the account. */
    PASSKEY_REMOVED("passkey-removed"),
    /** Notice: an admin removed every second factor of the account (the owner had lost them all, or says so). */
    SECOND_FACTORS_RESET_BY_ADMIN("second-factors-reset-by-admin"),
    /** Notice: new recovery codes were made, the old ones void. */
    RECOVERY_CODES_REPLACED("recovery-codes-replaced"),
    /** Notice: a sign-in used a recovery code instead of the authenticator. */
    RECOVERY_CODE_USED("recovery-code-used"),
    /** Notice: the account was deleted (the row names no account: it is gone). */
    ACCOUNT_DELETED("account-deleted");

    private final String template;

    MailKind(String template) {
        this.template = template;
    }

    public String template() {
        return template;
    }
}
