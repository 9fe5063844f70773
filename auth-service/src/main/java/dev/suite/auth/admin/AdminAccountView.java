package dev.suite.auth.admin;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

import dev.suite.auth.account.Account;

/**
 * An account as an admin sees it: who it is, its groups, whether it is locked or must change its password. Never its
 * password hash (nor any token or secret: the account row holds none other). Built field by field, so a column added
 * to the account later stays out until someone adds it here.
 */
public record AdminAccountView(UUID id, String email, String displayName, Set<String> groups, boolean admin, Instant createdAt,
        Instant updatedAt, Instant lockedAt, boolean passwordChangeRequired) {

    static AdminAccountView of(Account account) {
        Set<String> groups = account.groups();
        return new AdminAccountView(account.id, account.email, account.displayName, groups, groups.contains(AccountAdministration.ADMIN),
                account.createdAt, account.updatedAt, account.lockedAt, account.passwordChangeRequired);
    }
}
