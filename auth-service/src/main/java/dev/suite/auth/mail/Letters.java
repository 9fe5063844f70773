package dev.suite.auth.mail;

import java.util.Map;

import io.quarkus.qute.Engine;
import io.quarkus.qute.Template;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The text of each mail, from plain-text Qute templates (templates/mail/KIND_LANGUAGE.txt): a first line
 * "Subject: ...", a blank line, then the body. A translation is one more file per kind; a language without one gets
 * English. Templates hold no secret and get none but the reset link: no name, no address, nothing a user typed, so no
 * mail can be made to carry an attacker's words.
 */
@ApplicationScoped
public class Letters {

    /** A mail's subject and body. */
    public record Letter(String subject, String text) {
        @Override
        public String toString() {
            return "Letter[" + subject + "]"; // the body may hold a reset link
        }
    }

    private final Engine engine;
    private final MailConfig config;

    Letters(Engine engine, MailConfig config) {
        this.engine = engine;
        this.config = config;
    }

    public Letter write(MailKind kind, Map<String, Object> data) {
        Template template = engine.getTemplate("mail/" + kind.template() + "_" + config.language() + ".txt");
        if (template == null) {
            template = engine.getTemplate("mail/" + kind.template() + "_en.txt");
        }
        if (template == null) {
            throw new IllegalStateException("No template for " + kind);
        }
        String rendered = template.data(data).render().replace("\r\n", "\n");
        int blank = rendered.indexOf("\n\n");
        String head = rendered.substring(0, blank);
        if (!head.startsWith("Subject: ")) {
            throw new IllegalStateException("The template of " + kind + " must start with a Subject line");
        }
        return new Letter(head.substring("Subject: ".length()).strip(), rendered.substring(blank + 2));
    }
}
