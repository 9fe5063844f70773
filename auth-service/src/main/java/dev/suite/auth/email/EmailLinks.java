package dev.suite.auth.email;

import java.util.Map;
import java.util.UUID;

import dev.suite.auth.mail.Letters;
import dev.suite.auth.mail.MailConfig;
import dev.suite.auth.mail.MailKind;
import dev.suite.auth.throttle.MailBudget;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The mails of the address flows, written by the outbox when it sends them (MailOutbox): what to send is decided
 * then, from the accounts as they are, never by the request that owed the mail, so every request answers alike. A
 * link's token is made here, just before its mail goes out. Each mail spends the budget of its address
 * ({@link MailConfig#perAddressLimit()} per window and kind) and, for links, of the account that asked
 * ({@link EmailConfig#perAccountLimit()}): a flood of requests sends a bounded number of mails.
 */
@ApplicationScoped
public class EmailLinks {

    /** The mail to send ({@code kind}, {@code letter}), or none ({@code letter} null), and a fixed word for the audit. */
    public record Composed(MailKind kind, Letters.Letter letter, String detail) {
        static Composed none(MailKind kind, String why) {
            return new Composed(kind, null, why);
        }
    }

    /** The budget of the link mails one account causes (verify and change links, and notices of changes to taken addresses). */
    private static final String ACCOUNT_LINKS = "links-of-account";

    /** Why a mail was not sent when its address or account had its share of the window. */
    public static final String OVER_BUDGET = "not sent: over budget";

    private final Letters letters;
    private final MailConfig mail;
    private final EmailConfig config;
    private final MailBudget budget;

    EmailLinks(Letters letters, MailConfig mail, EmailConfig config, MailBudget budget) {
        this.letters = letters;
        this.mail = mail;
        this.config = config;
        this.budget = budget;
    }

    /** Whether the outbox hands mails of {@code kind} to {@link #compose}. */
    public static boolean composes(MailKind kind) {
        return switch (kind) {
            case EMAIL_VERIFICATION_LINK, REGISTRATION_FOR_EXISTING_EMAIL, EMAIL_CHANGE_LINK, EMAIL_CHANGED, NEW_DEVICE_SIGN_IN -> true;
            default -> false;
        };
    }

    /**
     * The mail owed to {@code to} for {@code accountId}; {@code firstAttempt}: budgets are spent once per owed mail, not
     * again when a failed send is retried.
     */
    public Uni<Composed> compose(Pool db, MailKind kind, String to, UUID accountId, boolean firstAttempt) {
        if (accountId == null && kind != MailKind.REGISTRATION_FOR_EXISTING_EMAIL && kind != MailKind.NEW_DEVICE_SIGN_IN) {
            // The account was deleted after the mail was owed (V12 keeps the row): a link would lead nowhere.
            return Uni.createFrom().item(Composed.none(kind, "not sent: the account was deleted"));
        }
        return switch (kind) {
            case EMAIL_VERIFICATION_LINK -> verificationLink(db, to, accountId, firstAttempt);
            case EMAIL_CHANGE_LINK -> changeLink(db, to, accountId, firstAttempt);
            case EMAIL_CHANGED -> undoLink(db, to, accountId);
            case REGISTRATION_FOR_EXISTING_EMAIL, NEW_DEVICE_SIGN_IN -> budgeted(kind, to, firstAttempt)
                    .map(allowed -> allowed ? new Composed(kind, letters.write(kind, Map.of()), kind.name()) : Composed.none(kind, OVER_BUDGET));
            default -> throw new IllegalArgumentException("Not an address mail: " + kind);
        };
    }

    private Uni<Composed> verificationLink(Pool db, String to, UUID accountId, boolean firstAttempt) {
        MailKind kind = MailKind.EMAIL_VERIFICATION_LINK;
        return account(db, accountId).chain(account -> {
            // The address changed or was confirmed since the mail was owed: a link would be dead or useless.
            if (account == null || !to.equals(account.getString("email")) || account.getBoolean("email_verified")) {
                return Uni.createFrom().item(Composed.none(kind, "not sent: address changed or confirmed"));
            }
            return linkBudget(kind, to, accountId, firstAttempt).chain(allowed -> !allowed
                    ? Uni.createFrom().item(Composed.none(kind, OVER_BUDGET))
                    : EmailTokens.issue(db, EmailToken.VERIFY, accountId, to, null, config.verifyLifetime())
                            .map(token -> new Composed(kind, letters.write(kind, Map.of("link", link("verify-email", token),
                                    "hours", config.verifyLifetime().toHours())), "verification link")));
        });
    }

    /**
     * A change's link goes to the new address only if no account has it; if one has, its owner is told that somebody
     * tried (the requester, who named an address that is not theirs, sees nothing of either mail). Whatever goes out,
     * the request has the same effects the requester can observe: it voids the account's pending change link and spends
     * one of the account's links. Otherwise confirming an earlier link, or whether the next link arrives, would tell
     * which addresses named before have accounts.
     */
    private Uni<Composed> changeLink(Pool db, String to, UUID accountId, boolean firstAttempt) {
        Uni<Boolean> accountAllowed = firstAttempt
                ? budget.spend(ACCOUNT_LINKS, accountId.toString(), config.perAccountLimit(), config.perAccountWindow())
                : Uni.createFrom().item(true);
        return accountAllowed.call(() -> db.preparedQuery("DELETE FROM email_token WHERE account_id = $1 AND purpose = $2")
                .execute(Tuple.of(accountId, EmailToken.CHANGE))).chain(allowed -> db.preparedQuery("SELECT id FROM account WHERE email = $1")
                .execute(Tuple.of(to)).chain(owners -> {
                    if (owners.size() > 0) {
                        if (accountId.equals(owners.iterator().next().getUUID("id"))) {
                            return Uni.createFrom().item(Composed.none(MailKind.EMAIL_CHANGE_LINK, "not sent: already the account's address"));
                        }
                        MailKind notice = MailKind.EMAIL_CHANGE_TO_TAKEN;
                        return budgeted(notice, to, firstAttempt).map(addressAllowed -> addressAllowed && allowed
                                ? new Composed(notice, letters.write(notice, Map.of()), "address taken: its owner told")
                                : Composed.none(notice, OVER_BUDGET));
                    }
                    MailKind kind = MailKind.EMAIL_CHANGE_LINK;
                    return account(db, accountId).chain(account -> account == null
                            ? Uni.createFrom().item(Composed.none(kind, "not sent: no account"))
                            : budgeted(kind, to, firstAttempt).chain(addressAllowed -> !(addressAllowed && allowed)
                                    ? Uni.createFrom().item(Composed.none(kind, OVER_BUDGET))
                                    : EmailTokens.issue(db, EmailToken.CHANGE, accountId, to, account.getString("email"), config.changeLifetime())
                                            .map(token -> new Composed(kind, letters.write(kind, Map.of("link", link("confirm-email-change", token),
                                                    "minutes", config.changeLifetime().toMinutes())), "change link"))));
                }));
    }

    /** The notice of a confirmed change, to the old address, always sent (its budget was the change link's). */
    private Uni<Composed> undoLink(Pool db, String oldAddress, UUID accountId) {
        MailKind kind = MailKind.EMAIL_CHANGED;
        return EmailTokens.issue(db, EmailToken.UNDO, accountId, oldAddress, null, config.undoLifetime())
                .map(token -> new Composed(kind, letters.write(kind, Map.of("link", link("undo-email-change", token),
                        "days", config.undoLifetime().toDays())), "undo link"));
    }

    private Uni<Row> account(Pool db, UUID accountId) {
        return db.preparedQuery("SELECT email, email_verified FROM account WHERE id = $1").execute(Tuple.of(accountId))
                .map(EmailLinks::first);
    }

    private static Row first(RowSet<Row> rows) {
        return rows.size() == 0 ? null : rows.iterator().next();
    }

    private Uni<Boolean> budgeted(MailKind kind, String to, boolean firstAttempt) {
        return firstAttempt ? budget.spend(kind.template(), to, mail.perAddressLimit(), mail.perAddressWindow()) : Uni.createFrom().item(true);
    }

    /** A link mail counts for its address and for the account that caused it. */
    private Uni<Boolean> linkBudget(MailKind kind, String to, UUID accountId, boolean firstAttempt) {
        if (!firstAttempt) {
            return Uni.createFrom().item(true);
        }
        return budgeted(kind, to, true).chain(addressAllowed -> budget.spend(ACCOUNT_LINKS, accountId.toString(),
                config.perAccountLimit(), config.perAccountWindow()).map(accountAllowed -> addressAllowed && accountAllowed));
    }

    /** The SPA page that takes the token, with the token in the fragment (never sent to a server, nor in a Referer). */
    private String link(String page, String token) {
        return mail.spaUrl() + "/#/" + page + "?token=" + token;
    }
}
