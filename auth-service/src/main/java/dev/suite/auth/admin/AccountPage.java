package dev.suite.auth.admin;

import java.util.List;

/** One page of accounts by email; {@code next} is the {@code after} of the following page, null on the last. */
public record AccountPage(List<AdminAccountView> accounts, String next) {
}
