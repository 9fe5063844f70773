package dev.suite.auth.mail;

/** What a row of the outbox asks for; each names its template (templates/mail/NAME_LANGUAGE.txt). */
public enum MailKind {
    /** A reset link for whoever owns the address, if anybody does (the outbox looks it up, not the request). */
    PASSWORD_RESET_LINK("password-reset-link"),
    /** Notice: the password was changed by a signed-in session. */
    PASSWORD_CHANGED("password-changed"),
    /** Notice: the password was replaced through a reset link, and every session ended. */
    PASSWORD_RESET_DONE("password-reset-done");

    private final String template;

    MailKind(String template) {
        this.template = template;
    }

    public String template() {
        return template;
    }
}
