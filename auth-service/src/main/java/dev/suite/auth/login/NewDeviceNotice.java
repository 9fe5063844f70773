package dev.suite.auth.login;

import dev.suite.auth.account.Account;
import dev.suite.auth.mail.MailKind;
import dev.suite.auth.mail.MailOutbox;
import dev.suite.auth.session.SessionService;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * A sign-in from a browser without this account's device token: its owner hears of it by mail (issue 21), whether the
 * session was opened by the password alone (LoginService) or by the second step after it (factor.SecondStep), unless it
 * is the account's first sign-in ever (right after registering, nothing is news). Bounded per address (EmailLinks).
 */
@ApplicationScoped
public class NewDeviceNotice {

    private final SessionService sessions;
    private final MailOutbox outbox;

    NewDeviceNotice(SessionService sessions, MailOutbox outbox) {
        this.sessions = sessions;
        this.outbox = outbox;
    }

    /** Owes the notice (in a transaction of its own, after the session was opened) and wakes the outbox. */
    public Uni<Void> send(Account account, String clientKey) {
        return Panache.withTransaction(() -> sessions.countOf(account.id).chain(count -> count > 1
                ? outbox.enqueue(MailKind.NEW_DEVICE_SIGN_IN, account.email, account.id, clientKey)
                : Uni.createFrom().voidItem())).invoke(outbox::soon);
    }
}
