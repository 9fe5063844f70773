package dev.suite.auth.account;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The admin the service makes at start (FirstAdmin), so that a new deployment needs no SQL to get one. Unset email:
 * nothing happens. make run names one (suite.admin.* from the local stack, its password generated into .local);
 * %prod takes the email from the Deployment's environment (AUTH_FIRST_ADMIN_EMAIL) and the password from Vault
 * (key initial-admin-password of secret/suite/auth-service, seeded by deploy/vault/setup.sh).
 */
@ConfigMapping(prefix = "auth.first-admin")
public interface FirstAdminConfig {

    /** The admin's sign-in address; once this address was bootstrapped, later starts leave its account alone. */
    Optional<String> email();

    /** The password of the first sign-in, which must then be replaced. Required when {@link #email()} is set. */
    Optional<String> initialPassword();

    /** The display name of an account the bootstrap creates (an existing one keeps its own). */
    @WithDefault("Administrator")
    String displayName();
}
