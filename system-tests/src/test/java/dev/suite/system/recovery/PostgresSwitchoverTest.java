package dev.suite.system.recovery;

import static dev.suite.system.support.Browser.expect;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.suite.localstack.LocalStack;
import dev.suite.localstack.PostgresStandby;
import dev.suite.system.support.Answer;
import dev.suite.system.support.Background;
import dev.suite.system.support.Browser;
import dev.suite.system.support.Database;
import dev.suite.system.support.SuiteOfItsOwn;
import io.vertx.core.json.JsonObject;

/**
 * Issue 25: the switchover runbook (docs/runbooks/postgres-switchover.md) rehearsed under traffic. A streaming standby
 * of the suite's PostgreSQL is promoted while registrations, profile updates and reads keep going through the gateway
 * ({@link LocalStack#switchPostgresOver}: the primary stopped cleanly, the standby checked to hold its last record,
 * promoted, serving at the primary's address). The services are neither restarted nor reconfigured: their pools
 * reconnect by themselves. Every write acknowledged before, during or after is on the new primary; meanwhile requests
 * fail with a clean 503, never a 500, a lost 2xx or a hang; the failure window is measured. On a suite and a stack of
 * its own (it moves the database); its log: system-tests/target/postgres-switchover.log.
 */
class PostgresSwitchoverTest {

    /** The gateway's upstream timeout of production (5 s) and 1 s of scheduling, as RunningSuite.neverAHangMillis. */
    private static final long NEVER_A_HANG_MILLIS = 6_000;
    private static final List<String> PROFILES = List.of("profile-a", "profile-b");
    private static final List<String> NAMES = List.of("register", "profile-a", "profile-b", "read");

    private static SuiteOfItsOwn suite;
    private static LocalStack stack;

    @BeforeAll
    static void startASuiteWithAStandby() {
        suite = SuiteOfItsOwn.start("postgres-switchover", LocalStack.startNew(), topology -> topology);
        stack = suite.stack();
    }

    @AfterAll
    static void stop() {
        if (suite != null) {
            suite.close();
        }
    }

    @Test
    void theStandbyTakesOverUnderTrafficWithEveryAcknowledgedWriteAndNoHang() {
        String gateway = suite.gatewayUrl();
        PostgresStandby standby = stack.startPostgresStandby();
        Path oldPrimary = stack.postgres().dataDir();
        Browser reader = Browser.signedUp(gateway, "switchover-reader");
        Map<String, Integer> registrations = new ConcurrentHashMap<>();
        // profile-a writes throughout: later writes would hide a lost one, so it shows recovery. profile-b stops writing
        // at its first failure (then reads its profile): its last acknowledged update is the primary's last, the one a
        // standby that lags behind lacks.
        Map<String, ProfileWrites> profiles = Map.of("profile-a", new ProfileWrites(Browser.signedUp(gateway, "switchover-a"), false),
                "profile-b", new ProfileWrites(Browser.signedUp(gateway, "switchover-b"), true));

        Map<String, List<Background.Outcome>> answers = new ConcurrentHashMap<>();
        long switchedAt;
        long switchoverMillis;
        try (Background traffic = new Background()) {
            traffic.repeat("register", () -> {
                Browser newcomer = new Browser(gateway);
                newcomer.csrf();
                String email = "switchover-" + UUID.randomUUID() + "@example.com";
                Answer answer = newcomer.register(email, "Switchover");
                registrations.put(email, answer.status());
                return answer;
            });
            profiles.forEach((name, writes) -> traffic.repeat(name, writes::next));
            traffic.repeat("read", reader::me);

            // A suite that serves every stream: the user service, cold until now, has fetched the JWKS (a verifier that
            // must fetch it while the auth service cannot read its key ring holds no key and refuses every token for
            // token-guard's min-refetch-interval, 10 s: a switchover during a rollout is the runbook's warning).
            long trafficStarted = System.nanoTime();
            for (String name : NAMES) {
                assertThat(traffic.millisUntil(name, name.equals("register") ? 202 : 200, trafficStarted, 30_000))
                        .as("%s served before the switchover", name).isNotNegative();
            }
            Background.pause(1000);
            switchedAt = System.nanoTime();
            stack.switchPostgresOver(standby);
            long switchedOver = System.nanoTime();
            switchoverMillis = (switchedOver - switchedAt) / 1_000_000;
            // The first successes on the new primary (completed once it serves), counted from the switchover's start.
            long firstRegistration = traffic.millisUntil("register", 202, switchedOver, 30_000);
            long firstProfile = traffic.millisUntil("profile-a", 200, switchedOver, 30_000);
            assertThat(firstRegistration).as("registrations recover by themselves within 30 s").isNotNegative();
            assertThat(firstProfile).as("profile updates recover by themselves within 30 s").isNotNegative();
            firstRegistration += switchoverMillis;
            firstProfile += switchoverMillis;
            Background.pause(2000); // and stay recovered
            traffic.close();

            for (String name : NAMES) {
                answers.put(name, traffic.outcomes(name));
            }
            List<Background.Outcome> failed = answers.values().stream().flatMap(List::stream).filter(o -> o.status() != 200 && o.status() != 202)
                    .toList();
            long windowMillis = failed.stream().mapToLong(o -> (o.completedAt() - switchedAt) / 1_000_000).max().orElse(0);
            Background.Outcome slowest = answers.values().stream().flatMap(List::stream).filter(o -> o.completedAt() > switchedAt)
                    .max(java.util.Comparator.comparingLong(Background.Outcome::millis)).orElseThrow();
            System.out.printf("[pg-switchover] primary :%d stopped, standby promoted and serving there in %d ms; requests failed "
                    + "for %d ms after the switchover began; first registration 202 after %d ms, first profile 200 after %d ms; "
                    + "%d registrations (%d acknowledged), %d profile requests (%d answered 200), %d reads, %d failed answers %s; "
                    + "slowest since the switchover began %d ms (%s, %d)%n",
                    stack.postgres().port(), switchoverMillis, windowMillis, firstRegistration, firstProfile, registrations.size(),
                    registrations.values().stream().filter(s -> s == 202).count(),
                    PROFILES.stream().mapToLong(n -> answers.get(n).size()).sum(),
                    PROFILES.stream().mapToLong(n -> answers.get(n).stream().filter(o -> o.status() == 200).count()).sum(),
                    answers.get("read").size(), failed.size(), failed.stream().map(o -> o.name() + " " + o.status()).toList(),
                    slowest.millis(), slowest.name(), slowest.status());
        }

        assertThat(stack.postgres().dataDir()).as("the standby is the primary now").isEqualTo(standby.server().dataDir());
        assertThat(oldPrimary.resolve("postmaster.pid")).as("the old primary stays stopped").doesNotExist();
        // First what a lossy switchover breaks. Every acknowledged registration is on the new primary, exactly once, and signs in; one refused with a 503 is
        // there wholly (its answer lost after its commit) or not at all.
        registrations.forEach((email, status) -> {
            long rows = Database.count(stack, "auth", "select count(*) from auth.account where email = ?", email);
            if (status == 202) {
                assertThat(rows).as("acknowledged %s", email).isEqualTo(1);
            } else {
                assertThat(rows).as("refused %s", email).isBetween(0L, 1L);
            }
        });
        String someAcknowledged = registrations.entrySet().stream().filter(r -> r.getValue() == 202).map(Map.Entry::getKey)
                .findFirst().orElseThrow();
        Browser owner = new Browser(gateway);
        owner.csrf();
        expect(owner.login(someAcknowledged, Browser.PASSWORD), 200);
        // Every profile holds its last acknowledged update, or one sent after it whose answer was lost; never an older one.
        profiles.forEach((name, writes) -> assertThat(expect(writes.browser.me(), 200).json().getString("bio")).as(name)
                .isIn(writes.lastAcknowledgedOrLater()));
        assertThat(Database.count(stack, "auth", "select substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8)::bigint"))
                .as("the database the services write to is on the promoted standby's timeline").isEqualTo(2);

        // Meanwhile: a 2xx or a clean 503, each within its time, and the services recovered by themselves.
        for (String name : NAMES) {
            assertThat(answers.get(name)).as("%s: a 2xx or a clean 503, nothing else", name)
                    .allSatisfy(o -> assertThat(o.status()).as("%s", o).isIn(200, 202, 503));
            // Once the switchover began (a cold service's first answers before it are not its business).
            assertThat(answers.get(name).stream().filter(o -> o.completedAt() > switchedAt)).as("%s: never a hang", name)
                    .allSatisfy(o -> assertThat(o.millis()).as("%s", o).isLessThan(NEVER_A_HANG_MILLIS));
            long lastFailure = answers.get(name).stream().filter(o -> o.status() == 503)
                    .mapToLong(Background.Outcome::completedAt).max().orElse(switchedAt);
            assertThat(answers.get(name).stream().filter(o -> o.completedAt() > lastFailure))
                    .as("%s recovered: answered after its last 503", name).isNotEmpty();
        }
    }

    /**
     * One account's stream of profile updates (until its first failure, if so told; reads of the profile after it):
     * which one was last acknowledged, and which were sent after it.
     */
    private static final class ProfileWrites {
        private final Browser browser;
        private final AtomicInteger counter = new AtomicInteger();
        private final List<String> sentSinceAcknowledged = new CopyOnWriteArrayList<>();
        private volatile String lastAcknowledged;

        private final boolean untilFirstFailure;
        private volatile boolean failed;

        ProfileWrites(Browser browser, boolean untilFirstFailure) {
            this.browser = browser;
            this.untilFirstFailure = untilFirstFailure;
        }

        Answer next() {
            if (failed) {
                return browser.me();
            }
            String bio = "bio " + counter.incrementAndGet();
            sentSinceAcknowledged.add(bio);
            Answer answer = browser.patchMe(new JsonObject().put("bio", bio));
            if (answer.status() == 200) {
                lastAcknowledged = bio;
                sentSinceAcknowledged.clear();
            } else {
                failed = untilFirstFailure;
            }
            return answer;
        }

        List<String> lastAcknowledgedOrLater() {
            List<String> allowed = new ArrayList<>(sentSinceAcknowledged);
            allowed.add(lastAcknowledged);
            return allowed;
        }
    }
}
