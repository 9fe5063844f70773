package dev.suite.auth.mail;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jboss.logging.Logger;

import dev.suite.auth.audit.AuditLog;
import dev.suite.auth.email.EmailLinks;
import dev.suite.auth.reset.ResetTokens;
import dev.suite.auth.throttle.MailBudget;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The mail the service owes, sent after the transaction that caused it commits, whatever the SMTP relay is doing.
 * {@link #enqueue} writes a row inside the caller's transaction (so a rolled-back change sends nothing); every replica
 * then claims due rows ({@code FOR UPDATE SKIP LOCKED}, and a lease: the claim itself moves the row's next attempt
 * past the send timeout, so no other replica sends it meanwhile), sends each, and deletes it once the relay took it.
 * A refused or unreachable relay leaves the row for a later attempt, each wait twice the last, until
 * {@link MailConfig#maxAttempts()}; then it is given up and audited. Nothing of this reaches the request that caused
 * the mail: its answer was given before any SMTP traffic.
 */
@ApplicationScoped
public class MailOutbox {

    private static final Logger LOG = Logger.getLogger(MailOutbox.class);
    /**
     * Rows per claim: one. Each claim's lease covers one send (its timeout plus a margin); with several rows a claim
     * sent one after another, a slow relay let the later rows outlive their lease, and another replica claimed and sent
     * them again (a second mail, and a second reset token that killed the first link). Found by review.
     */
    private static final int BATCH = 1;

    private record Owed(UUID id, MailKind kind, String email, UUID accountId, String clientIp, int attempt) {
        @Override
        public String toString() {
            return "Owed[" + id + ", " + kind + ", attempt " + attempt + "]"; // never the address in a log line
        }
    }

    private final Pool db;
    private final ReactiveMailer mailer;
    private final Letters letters;
    private final MailConfig config;
    private final ResetTokens resetTokens;
    private final ResetTokens.Config resetConfig;
    private final MailBudget budget;
    private final EmailLinks emailLinks;
    private final AuditLog audit;
    private final Vertx vertx;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    private final Counter sent;
    private final Counter failedAttempts;
    private final Counter givenUp;
    private final Counter overBudget;
    private long timer = -1;

    MailOutbox(Pool db, ReactiveMailer mailer, Letters letters, MailConfig config, ResetTokens resetTokens,
            ResetTokens.Config resetConfig, MailBudget budget, EmailLinks emailLinks, AuditLog audit, Vertx vertx, MeterRegistry metrics) {
        this.emailLinks = emailLinks;
        this.db = db;
        this.mailer = mailer;
        this.letters = letters;
        this.config = config;
        this.resetTokens = resetTokens;
        this.resetConfig = resetConfig;
        this.budget = budget;
        this.audit = audit;
        this.vertx = vertx;
        this.sent = Counter.builder("suite.mail.sent").description("Mails the SMTP relay accepted").register(metrics);
        this.failedAttempts = Counter.builder("suite.mail.failed.attempts")
                .description("Attempts to send a mail that the SMTP relay refused or that could not reach it (tried again later)")
                .register(metrics);
        this.givenUp = Counter.builder("suite.mail.given.up")
                .description("Mails given up after their last attempt (deploy/k8s/monitoring alerts on it)").register(metrics);
        this.overBudget = Counter.builder("suite.mail.over.budget")
                .description("Reset mails not sent because their address had its share of the window (a flood)").register(metrics);
    }

    void onStart(@Observes StartupEvent event) {
        timer = vertx.setPeriodic(config.pollInterval().toMillis(), id -> soon());
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** Owes a mail; runs inside the caller's (Hibernate Reactive) transaction. Call {@link #soon} once that committed. */
    public Uni<Void> enqueue(MailKind kind, String email, UUID accountId, String clientIp) {
        OutboxMail mail = new OutboxMail();
        mail.id = UUID.randomUUID();
        mail.kind = kind;
        mail.email = email;
        mail.accountId = accountId;
        mail.clientIp = clientIp;
        mail.attempts = 0;
        mail.createdAt = Instant.now();
        mail.nextAttemptAt = mail.createdAt;
        return mail.persist().replaceWithVoid();
    }

    /** Sends what is due now, in the background; a call while a round runs makes one more round after it. */
    public void soon() {
        if (!running.compareAndSet(false, true)) {
            again.set(true);
            return;
        }
        deliverDue().subscribe().with(ignored -> finished(), failure -> {
            LOG.warnf("Mail outbox round failed (tried again at the next poll): %s", failure.getMessage());
            finished();
        });
    }

    private void finished() {
        running.set(false);
        if (again.getAndSet(false)) {
            soon();
        }
    }

    private Uni<Void> deliverDue() {
        return claim().chain(owed -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (Owed mail : owed) {
                chain = chain.chain(() -> deliver(mail));
            }
            return owed.size() == BATCH ? chain.chain(this::deliverDue) : chain;
        });
    }

    /** Claims due rows: counts the attempt and moves the next one past this attempt's end (a lease), in one statement. */
    private Uni<List<Owed>> claim() {
        double lease = config.sendTimeout().plusSeconds(5).toMillis() / 1000.0;
        double retry = config.retryDelay().toMillis() / 1000.0;
        return db.preparedQuery("UPDATE mail_outbox SET attempts = attempts + 1, next_attempt_at = now() + "
                + "make_interval(secs => greatest($1::float8, $2::float8 * power(2, least(attempts, 20)))) "
                + "WHERE id IN (SELECT id FROM mail_outbox WHERE next_attempt_at <= now() ORDER BY next_attempt_at LIMIT $3 "
                + "FOR UPDATE SKIP LOCKED) RETURNING id, kind, email, account_id, client_ip, attempts")
                .execute(Tuple.of(lease, retry, BATCH)).map(rows -> {
                    List<Owed> owed = new ArrayList<>();
                    for (Row row : rows) {
                        owed.add(new Owed(row.getUUID("id"), MailKind.valueOf(row.getString("kind")), row.getString("email"),
                                row.getUUID("account_id"), row.getString("client_ip"), row.getInteger("attempts")));
                    }
                    return owed;
                });
    }

    private Uni<Void> deliver(Owed mail) {
        Uni<Void> attempt = mail.kind() == MailKind.PASSWORD_RESET_LINK ? resetLink(mail)
                : EmailLinks.composes(mail.kind()) ? addressMail(mail) : notice(mail);
        return attempt.onFailure().recoverWithUni(failure -> failed(mail, failure));
    }

    /**
     * A reset link, if an account has the address: the token is made now (never stored in clear, so never before), and
     * replaces any older one. An address nobody has gets nothing, so a request can neither find accounts nor mail a
     * stranger. Each address gets at most {@link MailConfig#perAddressLimit()} such mails per window.
     */
    private Uni<Void> resetLink(Owed mail) {
        return db.preparedQuery("SELECT id, password_hash FROM account WHERE email = $1").execute(Tuple.of(mail.email())).chain(rows -> {
            if (rows.size() == 0) {
                return done(mail, AuditLog.Type.PASSWORD_RESET_REQUESTED, null, "unknown email");
            }
            Row account = rows.iterator().next();
            UUID accountId = account.getUUID("id");
            Uni<Boolean> withinBudget = mail.attempt() == 1
                    ? budget.spend("reset", mail.email(), config.perAddressLimit(), config.perAddressWindow())
                    : Uni.createFrom().item(true);
            return withinBudget.chain(allowed -> {
                if (!allowed) {
                    overBudget.increment();
                    return done(mail, AuditLog.Type.PASSWORD_RESET_REQUESTED, accountId, "not sent: the address had its share of reset mails");
                }
                return resetTokens.issue(db, accountId, account.getString("password_hash"))
                        .map(token -> letters.write(MailKind.PASSWORD_RESET_LINK, Map.of("link", config.spaUrl() + "/#/reset-password?token=" + token,
                                "minutes", resetConfig.tokenLifetime().toMinutes())))
                        .chain(letter -> send(mail.email(), letter))
                        .chain(() -> done(mail, AuditLog.Type.PASSWORD_RESET_MAIL_SENT, accountId, null));
            });
        });
    }

    /**
     * A security notice, to the address the account had when it happened. The account's own confirmed address hears of
     * everything; any other (one nobody confirmed, which anybody may have registered with; the old address of a change;
     * a deleted account's) spends the per-address budget of its kind, as the links do, so an account cannot be used
     * to flood a stranger's mailbox with notices (review: new recovery codes in a loop mailed an unconfirmed address).
     */
    private Uni<Void> notice(Owed mail) {
        Uni<Boolean> allowed = mail.attempt() > 1 ? Uni.createFrom().item(true)
                : ownConfirmedAddress(mail.accountId(), mail.email()).chain(own -> own ? Uni.createFrom().item(true)
                        : budget.spend(mail.kind().template(), mail.email(), config.perAddressLimit(), config.perAddressWindow()));
        return allowed.chain(send -> {
            if (!send) {
                overBudget.increment();
                return done(mail, AuditLog.Type.MAIL_NOT_SENT, mail.accountId(), mail.kind().name() + ": " + EmailLinks.OVER_BUDGET);
            }
            return send(mail.email(), letters.write(mail.kind(), Map.of()))
                    .chain(() -> done(mail, AuditLog.Type.MAIL_SENT, mail.accountId(), mail.kind().name()));
        });
    }

    private Uni<Boolean> ownConfirmedAddress(UUID accountId, String email) {
        if (accountId == null) {
            return Uni.createFrom().item(false);
        }
        return db.preparedQuery("SELECT 1 FROM account WHERE id = $1 AND email = $2 AND email_verified").execute(Tuple.of(accountId, email))
                .map(rows -> rows.size() > 0);
    }

    /** A mail of the address flows: EmailLinks decides what it is (or that none is due) now, from the accounts as they are. */
    private Uni<Void> addressMail(Owed mail) {
        return emailLinks.compose(db, mail.kind(), mail.email(), mail.accountId(), mail.attempt() == 1).chain(composed -> {
            if (composed.letter() == null) {
                if (EmailLinks.OVER_BUDGET.equals(composed.detail())) {
                    overBudget.increment();
                }
                return done(mail, AuditLog.Type.MAIL_NOT_SENT, mail.accountId(), composed.kind().name() + ": " + composed.detail());
            }
            return send(mail.email(), composed.letter())
                    .chain(() -> done(mail, AuditLog.Type.MAIL_SENT, mail.accountId(), composed.kind().name()));
        });
    }

    private Uni<Void> send(String to, Letters.Letter letter) {
        return mailer.send(Mail.withText(to, letter.subject(), letter.text()).setFrom(config.from()))
                .ifNoItem().after(config.sendTimeout()).failWith(() -> new IllegalStateException("no answer from the SMTP relay"))
                .invoke(() -> sent.increment());
    }

    private Uni<Void> done(Owed mail, AuditLog.Type type, UUID accountId, String detail) {
        return db.withTransaction(tx -> tx.preparedQuery("DELETE FROM mail_outbox WHERE id = $1").execute(Tuple.of(mail.id()))
                .chain(() -> audit.record(tx, type, accountId, mail.clientIp(), detail)));
    }

    private Uni<Void> failed(Owed mail, Throwable failure) {
        failedAttempts.increment();
        if (mail.attempt() < config.maxAttempts()) {
            LOG.warnf("Mail %s not sent, tried again later: %s", mail, failure.getMessage());
            return Uni.createFrom().voidItem();
        }
        givenUp.increment();
        LOG.errorf("Mail %s given up after %d attempts: %s", mail, mail.attempt(), failure.getMessage());
        return done(mail, AuditLog.Type.MAIL_GIVEN_UP, mail.accountId(), mail.kind().name())
                .onFailure().invoke(e -> LOG.warnf("Mail %s: giving up was not recorded: %s", mail, e.getMessage()))
                .onFailure().recoverWithNull();
    }
}
