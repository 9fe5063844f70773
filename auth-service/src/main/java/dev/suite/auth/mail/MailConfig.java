package dev.suite.auth.mail;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The mail the auth service sends (password resets, security notices) and how hard it tries. */
@ConfigMapping(prefix = "auth.mail")
public interface MailConfig {

    /** The sender of every mail. */
    @WithDefault("Secure suite <no-reply@suite.invalid>")
    String from();

    /**
     * The SPA's own address (https origin, no path): reset links point at its reset page, with the token in the URL's
     * fragment, which browsers never send to a server nor put in a Referer.
     */
    String spaUrl();

    /** The language of the templates (templates/mail/KIND_LANGUAGE.txt), English when a template has no such variant. */
    @WithDefault("en")
    String language();

    /** Attempts at one mail before it is given up (and the giving up audited). */
    @WithDefault("8")
    int maxAttempts();

    /** The wait before the second attempt; each further one doubles it. */
    @WithDefault("PT15S")
    Duration retryDelay();

    /** One attempt (connect, TLS, login, send) takes at most this long; a row is not tried again meanwhile. */
    @WithDefault("PT10S")
    Duration sendTimeout();

    /** How often each replica looks for mail that is due (new mail is also sent at once, by the replica that wrote it). */
    @WithDefault("PT2S")
    Duration pollInterval();

    /** Reset mails to one address within {@link #perAddressWindow()}, whoever asks: a flood sends no more. */
    @WithDefault("3")
    int perAddressLimit();

    @WithDefault("PT15M")
    Duration perAddressWindow();
}
