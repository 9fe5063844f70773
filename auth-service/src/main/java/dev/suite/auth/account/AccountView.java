package dev.suite.auth.account;

import java.util.Set;
import java.util.UUID;

/** What clients may see of an account: never the hash. */
public record AccountView(UUID id, String email, String displayName, Set<String> groups) {

    public static AccountView of(Account account) {
        return new AccountView(account.id, account.email, account.displayName, account.groups());
    }
}
