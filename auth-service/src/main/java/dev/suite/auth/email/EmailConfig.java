package dev.suite.auth.email;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The account's address: how long its links work, how many mails an account may cause, and whether sign-in waits for it. */
@ConfigMapping(prefix = "auth.email")
public interface EmailConfig {

    /**
     * Whether an account must have confirmed its address before it signs in. Off by default (issue 21): the account
     * works at once, its access token says {@code email_verified: false}, and the SPA asks its owner to confirm.
     */
    @WithDefault("false")
    boolean requireVerified();

    /** How long a link that confirms the address works. */
    @WithDefault("P1D")
    Duration verifyLifetime();

    /** How long a link that confirms a new address works. */
    @WithDefault("PT1H")
    Duration changeLifetime();

    /** How long the old address of a change may undo it. */
    @WithDefault("P7D")
    Duration undoLifetime();

    /**
     * Link mails (confirm the address, confirm a new one) that one account may cause within {@link #perAccountWindow()},
     * whatever the addresses: an account cannot be used to mail a list of strangers.
     */
    @WithDefault("5")
    int perAccountLimit();

    @WithDefault("PT1H")
    Duration perAccountWindow();
}
