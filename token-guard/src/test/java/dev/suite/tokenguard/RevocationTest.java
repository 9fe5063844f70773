package dev.suite.tokenguard;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.junit.jupiter.api.Test;

import dev.suite.fixtures.SharedStack;
import dev.suite.localstack.LocalStack;
import io.quarkus.redis.client.RedisClientName;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisReplicas;
import io.vertx.redis.client.RedisRole;
import jakarta.inject.Inject;

/** DESIGN.md invariant 2: revocation is seen on the very next request, memory is bounded, Redis down fails closed. */
@QuarkusTest
@QuarkusTestResource(SharedStack.class)
class RevocationTest {

    @Inject
    RevocationStore revocations;

    @Inject
    @RedisClientName("operator")
    RedisAPI operator;

    @Inject
    TokenGuard guard;

    @Inject
    TokenGuardConfig config;

    @Inject
    Vertx vertx;

    @Test
    void revokedTokenIdIsRefusedOnTheNextRequest() throws MalformedClaimException {
        JwtClaims claims = TestKeys.userClaims();
        String token = TestKeys.sign(claims);
        given().auth().oauth2(token).get("/probe").then().statusCode(200);

        revocations.revokeTokenId(claims.getJwtId()).await().atMost(Duration.ofSeconds(5));

        given().auth().oauth2(token).get("/probe").then().statusCode(401);
    }

    /**
     * Attack (issue 19): the gateway sends its rate-limit counter in the same round trip as the revocation query
     * (checkAlong). A revoked token, and one that does not verify, must be refused there exactly as by check, while the
     * caller's own command still runs once per call, whatever the token.
     */
    @Test
    void checkAlongRefusesWhatCheckRefusesAndRunsTheCallersCommandEachTime() throws MalformedClaimException {
        JwtClaims claims = TestKeys.userClaims();
        String token = TestKeys.sign(claims);
        List<Request> counter = List.of(Request.cmd(Command.INCR).arg("login:check-along-" + UUID.randomUUID()));

        TokenGuard.Along live = guard.checkAlong(token, counter, IllegalStateException::new).await().atMost(Duration.ofSeconds(5));
        assertThat(live.token().subject()).isEqualTo(claims.getSubject());
        assertThat(live.alongside().get(0).toLong()).isEqualTo(1);

        revocations.revokeTokenId(claims.getJwtId()).await().atMost(Duration.ofSeconds(5));
        TokenGuard.Along revoked = guard.checkAlong(token, counter, IllegalStateException::new).await().atMost(Duration.ofSeconds(5));
        assertThat(revoked.alongside().get(0).toLong()).isEqualTo(2);
        assertThatThrownBy(revoked::token).isInstanceOf(AuthenticationFailedException.class);

        String forged = TestKeys.sign(TestKeys.userClaims());
        forged = forged.substring(0, forged.length() - 4) + (forged.endsWith("AAAA") ? "BBBB" : "AAAA");
        TokenGuard.Along refused = guard.checkAlong(forged, counter, IllegalStateException::new).await().atMost(Duration.ofSeconds(5));
        assertThat(refused.alongside().get(0).toLong()).isEqualTo(3);
        assertThatThrownBy(refused::token).isInstanceOf(AuthenticationFailedException.class);
    }

    /**
     * Attack through checkAlong's caller: a command that changes the shared connection's state (SELECT, CLIENT REPLY)
     * would turn every later lookup on it into "not revoked". It is refused before anything is sent, and a revoked
     * token is still refused afterwards.
     */
    @Test
    void checkAlongRefusesACommandThatWouldChangeTheSharedConnection() throws MalformedClaimException {
        JwtClaims claims = TestKeys.userClaims();
        String token = TestKeys.sign(claims);
        revocations.revokeTokenId(claims.getJwtId()).await().atMost(Duration.ofSeconds(5));
        for (Request command : List.of(Request.cmd(Command.SELECT).arg(1), Request.cmd(Command.CLIENT).arg("REPLY").arg("SKIP"),
                Request.cmd(Command.BLPOP).arg("ratelimit:x").arg(0))) {
            assertThatThrownBy(() -> guard.checkAlong(token, List.of(command), IllegalStateException::new))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        given().auth().oauth2(token).get("/probe").then().statusCode(401);
        TokenGuard.Along along = guard.checkAlong(token, List.of(Request.cmd(Command.INCR).arg("login:along-" + UUID.randomUUID())),
                IllegalStateException::new).await().atMost(Duration.ofSeconds(5));
        assertThatThrownBy(along::token).isInstanceOf(AuthenticationFailedException.class);
    }

    @Test
    void revokedSessionKillsEveryTokenOfThatSessionOnly() throws MalformedClaimException {
        JwtClaims first = TestKeys.userClaims();
        JwtClaims sameSession = TestKeys.userClaims();
        sameSession.setClaim("sid", first.getClaimValue("sid"));
        sameSession.setExpirationTime(HostileTokens.ago(-590)); // expires in another bucket
        JwtClaims otherSession = TestKeys.userClaims();

        revocations.revokeSession(first.getStringClaimValue("sid")).await().atMost(Duration.ofSeconds(5));

        given().auth().oauth2(TestKeys.sign(first)).get("/probe").then().statusCode(401);
        given().auth().oauth2(TestKeys.sign(sameSession)).get("/probe").then().statusCode(401);
        given().auth().oauth2(TestKeys.sign(otherSession)).get("/probe").then().statusCode(200);
    }

    @Test
    void anEntryLivesNoLongerThanTheTokensItKillsAndCarriesNoTtlThatEvictionCouldTake() {
        long first = Math.floorDiv(Instant.now().getEpochSecond() - 30, 60);
        String expired = RevocationStore.TAGGED.bucket(first - 3);
        String squatted = RevocationStore.TAGGED.bucket(first + 5);
        operator.sadd(List.of(expired, "jti:" + UUID.randomUUID())).await().indefinitely();
        operator.set(List.of(squatted, "planted by a compromised client")).await().indefinitely();
        String jti = UUID.randomUUID().toString();
        revocations.revokeTokenId(jti).await().atMost(Duration.ofSeconds(5));

        // The id sits in every bucket a live token can expire in; the last one holds the longest-lived token's expiry.
        long now = Instant.now().getEpochSecond();
        String last = RevocationStore.TAGGED.bucket(Math.floorDiv(now + 600 + 30, 60));
        assertThat(operator.sismember(last, "jti:" + jti).await().indefinitely().toInteger()).isEqualTo(1);
        // No TTL: under maxmemory-policy volatile-lru Redis evicts only keys that have one (rate limits, throttles).
        assertThat(operator.ttl(last).await().indefinitely().toLong()).isEqualTo(-1);
        assertThat(operator.sismember(RevocationStore.TAGGED.bucket(Math.floorDiv(now + 900, 60)), "jti:" + jti).await().indefinitely().toInteger())
                .as("no bucket beyond the longest lifetime").isZero();
        // The write swept the bucket whose tokens have all expired, and replaced what is not a set.
        assertThat(operator.exists(List.of(expired)).await().indefinitely().toInteger()).as("expired bucket deleted").isZero();
        assertThat(operator.sismember(squatted, "jti:" + jti).await().indefinitely().toInteger()).isEqualTo(1);
    }

    /**
     * The attack (issue 25, the Cluster hash tag renamed the buckets): during a rolling upgrade a replica of the release
     * before revokes a session, writing only the old names, and a replica of this release must still refuse its tokens;
     * the reverse too, a revocation here must land where the old replicas look. (Seen failing with legacy-keys off.)
     */
    @Test
    void duringARollingUpgradeEachReleaseHonoursTheOthersRevocations() throws MalformedClaimException {
        JwtClaims revokedByTheOldRelease = TestKeys.userClaims();
        long now = Instant.now().getEpochSecond();
        // What the release before wrote: the member in every live bucket under revoked:<bucket>.
        for (long bucket = Math.floorDiv(now - 30, 60); bucket <= Math.floorDiv(now + 600 + 30, 60); bucket++) {
            operator.sadd(List.of("revoked:" + bucket, "sid:" + revokedByTheOldRelease.getStringClaimValue("sid"))).await().indefinitely();
        }
        given().auth().oauth2(TestKeys.sign(revokedByTheOldRelease)).get("/probe").then().statusCode(401);
        JwtClaims revokedHere = TestKeys.userClaims();
        TokenGuard.Along along = guard.checkAlong(TestKeys.sign(revokedByTheOldRelease),
                List.of(Request.cmd(Command.INCR).arg("login:upgrade-" + UUID.randomUUID())), IllegalStateException::new)
                .await().atMost(Duration.ofSeconds(5));
        assertThatThrownBy(along::token).as("refused in the gateway's batch too").isInstanceOf(AuthenticationFailedException.class);

        revocations.revokeTokenId(revokedHere.getJwtId()).await().atMost(Duration.ofSeconds(5));
        // Where the release before looks: the set of the token's own expiry bucket, under the old name.
        String oldBucket = "revoked:" + Math.floorDiv(revokedHere.getExpirationTime().getValue(), 60);
        assertThat(operator.sismember(oldBucket, "jti:" + revokedHere.getJwtId()).await().indefinitely().toInteger()).isEqualTo(1);
    }

    /**
     * On a Redis Cluster the old names cannot share a slot; on any topology a replica may not hold a revocation yet
     * (attacker review: a replication client with replicas=share sent the checks' read-only batch to a replica, and only
     * clusters were refused). Each unsafe setting stops the start, with the fix named.
     */
    @Test
    void unsafeRedisSettingsAreRefusedAtStart() {
        assertThatThrownBy(() -> RevocationStore.refuseUnsafeRedisSettings(true, true, false))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("TOKEN_GUARD_REVOCATION_LEGACY_KEYS=false");
        assertThatThrownBy(() -> RevocationStore.refuseUnsafeRedisSettings(false, true, true))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("quarkus.redis.replicas");
        assertThatThrownBy(() -> RevocationStore.refuseUnsafeRedisSettings(true, false, true))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("quarkus.redis.role");
        RevocationStore.refuseUnsafeRedisSettings(false, true, false);
        RevocationStore.refuseUnsafeRedisSettings(true, false, false);

        for (RedisReplicas replicas : List.of(RedisReplicas.SHARE,
                RedisReplicas.ALWAYS)) {
            for (RedisClientType type : List.of(RedisClientType.CLUSTER,
                    RedisClientType.REPLICATION)) {
                assertThat(RedisSettings.readsFromReplicas(new RedisOptions().setType(type).setUseReplicas(replicas)))
                        .as("%s with replicas %s", type, replicas).isTrue();
            }
        }
        assertThat(RedisSettings.readsFromReplicas(new RedisOptions()
                .setType(RedisClientType.SENTINEL).setRole(RedisRole.REPLICA))).isTrue();
        assertThat(RedisSettings.readsFromReplicas(new RedisOptions()
                .setType(RedisClientType.SENTINEL).setRole(RedisRole.MASTER))).isFalse();
        assertThat(RedisSettings.readsFromReplicas(new RedisOptions()
                .setType(RedisClientType.REPLICATION))).isFalse(); // never, the default
        assertThat(RedisSettings.readsFromReplicas(new RedisOptions()
                .setUseReplicas(RedisReplicas.SHARE))).isFalse(); // standalone: one server
    }

    @Test
    void redisDownFailsClosedWith503AndRecoversWithoutRestart() {
        String token = TestKeys.sign(TestKeys.userClaims());
        given().auth().oauth2(token).get("/probe").then().statusCode(200);
        LocalStack.shared().redis().stop();
        try {
            long started = System.nanoTime();
            given().auth().oauth2(token).get("/probe").then()
                    .statusCode(503)
                    .header("Retry-After", equalTo("1"))
                    .body("status", equalTo(503));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        } finally {
            LocalStack.shared().redis().start();
        }
        assertThat(statusOnceServed(token, Duration.ofSeconds(10))).isEqualTo(200);
    }

    /**
     * A Redis that hangs (its connections open, nothing answered) must fail every check closed within the timeout, not
     * hold it, and once it answers again the checks must come back without a restart. The checks share a few
     * long-lived pipelined connections: one that answers nothing for PipelinedRedis.DEAD_AFTER_TIMEOUTS timeouts is
     * dropped and replaced, so the hang here outlasts that too.
     */
    @Test
    void aRedisThatStopsAnsweringFailsChecksClosedAndTheyComeBackWhenItAnswers() {
        String token = TestKeys.sign(TestKeys.userClaims());
        given().auth().oauth2(token).get("/probe").then().statusCode(200);
        Duration hang = config.revocation().timeout().multipliedBy(PipelinedRedis.DEAD_AFTER_TIMEOUTS + 2);
        LocalStack.shared().redis().freeze();
        try {
            long until = System.nanoTime() + hang.toNanos();
            int checks = 0;
            while (System.nanoTime() < until || checks < 3) {
                given().auth().oauth2(token).get("/probe").then().statusCode(503).header("Retry-After", equalTo("1"));
                checks++;
            }
        } finally {
            LocalStack.shared().redis().thaw();
        }
        assertThat(statusOnceServed(token, Duration.ofSeconds(10))).isEqualTo(200);
    }

    /**
     * Attack on the pipelining: many checks share one connection, and their replies are matched by order alone. With
     * revoked and live tokens in flight at once, a revoked token must never be answered with a live one's reply.
     */
    @Test
    void checksInFlightTogetherEachGetTheirOwnAnswer() throws Exception {
        List<String> revoked = new ArrayList<>();
        List<String> live = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            JwtClaims claims = TestKeys.userClaims();
            revoked.add(TestKeys.sign(claims));
            revocations.revokeTokenId(claims.getJwtId()).await().atMost(Duration.ofSeconds(5));
            live.add(TestKeys.sign(TestKeys.userClaims()));
        }
        ExecutorService callers = Executors.newFixedThreadPool(32);
        try {
            List<Future<Integer>> revokedAnswers = new ArrayList<>();
            List<Future<Integer>> liveAnswers = new ArrayList<>();
            for (int round = 0; round < 4; round++) {
                for (int i = 0; i < revoked.size(); i++) {
                    String r = revoked.get(i);
                    String l = live.get(i);
                    revokedAnswers.add(callers.submit(() -> given().auth().oauth2(r).get("/probe").statusCode()));
                    liveAnswers.add(callers.submit(() -> given().auth().oauth2(l).get("/probe").statusCode()));
                }
            }
            for (Future<Integer> answer : revokedAnswers) {
                assertThat(answer.get(30, TimeUnit.SECONDS)).as("a revoked token").isEqualTo(401);
            }
            for (Future<Integer> answer : liveAnswers) {
                assertThat(answer.get(30, TimeUnit.SECONDS)).as("a live token").isEqualTo(200);
            }
        } finally {
            callers.shutdownNow();
        }
    }

    /**
     * Attack on the coalescing (issue 19): the checks asked for during one turn of an event loop go out to Redis as one
     * batch, and each caller's replies are cut out of it by position. Revoked and live tokens, each with a counter of
     * its own alongside, asked in one turn: every revoked one refused, every live one let through, every counter
     * answered with its own value; and Redis read them in a few reads, not one per check (41 reads for 40 checks before
     * the coalescing).
     */
    @Test
    void checksAskedInOneTurnOfAnEventLoopGoOutTogetherAndEachGetsItsOwnReplies() throws Exception {
        int pairs = 20;
        List<String> tokens = new ArrayList<>();
        List<Boolean> revokedOnes = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            JwtClaims claims = TestKeys.userClaims();
            tokens.add(TestKeys.sign(claims));
            revokedOnes.add(true);
            revocations.revokeTokenId(claims.getJwtId()).await().atMost(Duration.ofSeconds(5));
            tokens.add(TestKeys.sign(TestKeys.userClaims()));
            revokedOnes.add(false);
        }
        String counterPrefix = "login:coalesced-" + UUID.randomUUID() + "-";
        for (int i = 0; i < tokens.size(); i++) { // each counter starts elsewhere, so each reply says whose it is
            operator.set(List.of(counterPrefix + i, String.valueOf(1000 + i))).await().atMost(Duration.ofSeconds(5));
        }
        // Verified once first, so that in the burst each check goes to Redis in the same turn (no signature to verify).
        for (String token : tokens) {
            guard.checkAlong(token, List.of(), IllegalStateException::new).await().atMost(Duration.ofSeconds(5));
        }
        long readsBefore = redisReadsProcessed();
        CompletableFuture<List<List<String>>> answers = askInOneTurn(tokens, 0, tokens.size(),
                i -> Request.cmd(Command.INCR).arg(counterPrefix + i));
        List<List<String>> answered = answers.get(10, TimeUnit.SECONDS);
        long reads = redisReadsProcessed() - readsBefore;
        System.out.printf("[revocation] %d checks asked in one turn: %d Redis reads, the INFO calls' included%n", tokens.size(), reads);

        for (int i = 0; i < tokens.size(); i++) {
            assertThat(answered.get(i)).as("check %d", i).isEqualTo(List.of(String.valueOf(1001 + i), revokedOnes.get(i) ? "revoked" : "live"));
        }
        // The INFO calls themselves are reads too, and so is anything else a connection sends meanwhile.
        assertThat(reads).as("Redis reads for %d checks asked in one turn", tokens.size()).isLessThan(10);
    }

    /**
     * Attack review of the coalescing: a nil reply (GET of a missing key, a command callers may send alongside) made the
     * cutting of replies throw, and that caller and the rest of its batch waited for their timeout (503) with the
     * connection's liveness count left wrong; and with one queue for all event loops, a loop's checks waited for
     * another loop's turn. Two event loops ask at once, half of the callers with a GET that answers nil: every check
     * is answered at once, and correctly.
     */
    @Test
    void nilRepliesAndTwoEventLoopsAskingAtOnceLeaveNoCheckUnanswered() throws Exception {
        List<String> tokens = new ArrayList<>();
        List<Boolean> revokedOnes = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            JwtClaims claims = TestKeys.userClaims();
            tokens.add(TestKeys.sign(claims));
            boolean revoke = i % 2 == 0;
            revokedOnes.add(revoke);
            if (revoke) {
                revocations.revokeTokenId(claims.getJwtId()).await().atMost(Duration.ofSeconds(5));
            }
            guard.checkAlong(tokens.get(i), List.of(), IllegalStateException::new).await().atMost(Duration.ofSeconds(5));
        }
        String missing = "login:nil-" + UUID.randomUUID() + "-";
        List<CompletableFuture<List<List<String>>>> halves = new ArrayList<>();
        for (int half = 0; half < 2; half++) { // a check that timed out fails its half: the 503 path
            halves.add(askInOneTurn(tokens, half * 8, half * 8 + 8,
                    i -> i % 4 < 2 ? Request.cmd(Command.GET).arg(missing + i) : Request.cmd(Command.INCR).arg(missing + i)));
        }
        List<List<String>> answered = new ArrayList<>();
        for (CompletableFuture<List<List<String>>> half : halves) {
            answered.addAll(half.get(10, TimeUnit.SECONDS));
        }
        for (int i = 0; i < tokens.size(); i++) {
            assertThat(answered.get(i)).as("check %d", i).isEqualTo(List.of(i % 4 < 2 ? "nil" : "1", revokedOnes.get(i) ? "revoked" : "live"));
        }
    }

    /**
     * Checks {@code tokens[from, to)}, each with {@code alongside(i)} in the same batch, all asked during one turn of a
     * new event-loop context: for each, its command's reply ("nil" for none) and "live" or "revoked".
     */
    private CompletableFuture<List<List<String>>> askInOneTurn(List<String> tokens, int from, int to, IntFunction<Request> alongside) {
        CompletableFuture<List<List<String>>> answers = new CompletableFuture<>();
        vertx.getDelegate().getOrCreateContext().runOnContext(ignored -> {
            List<Uni<List<String>>> checks = new ArrayList<>();
            for (int i = from; i < to; i++) {
                checks.add(guard.checkAlong(tokens.get(i), List.of(alongside.apply(i)), IllegalStateException::new).map(answer -> {
                    String reply = answer.alongside().get(0) == null ? "nil" : answer.alongside().get(0).toString();
                    try {
                        answer.token();
                        return List.of(reply, "live");
                    } catch (AuthenticationFailedException refused) {
                        return List.of(reply, "revoked");
                    }
                }));
            }
            Uni.join().all(checks).andFailFast().subscribe().with(answers::complete, answers::completeExceptionally);
        });
        return answers;
    }

    private long redisReadsProcessed() {
        String stats = operator.info(List.of("stats")).await().atMost(Duration.ofSeconds(5)).toString();
        return stats.lines().filter(line -> line.startsWith("total_reads_processed:"))
                .mapToLong(line -> Long.parseLong(line.substring(line.indexOf(':') + 1).trim())).findFirst().orElseThrow();
    }

    @Test
    void anonymousRequestsStillReachPublicEndpointsAndProtectedOnesAnswer401() {
        given().get("/probe/public").then().statusCode(200);
        given().get("/probe").then().statusCode(401);
        given().header("Authorization", "Basic dXNlcjpwYXNz").get("/probe").then().statusCode(401);
    }

    @Test
    void identityCarriesSubjectSessionAndGroups() throws MalformedClaimException {
        JwtClaims claims = TestKeys.userClaims();
        claims.setStringListClaim("groups", List.of("user", "admin"));
        String token = TestKeys.sign(claims);
        given().auth().oauth2(token).get("/probe").then().statusCode(200)
                .body("sub", equalTo(claims.getSubject()))
                .body("sid", equalTo(claims.getStringClaimValue("sid")))
                .body("groups", equalTo(List.of("admin", "user")));
        given().auth().oauth2(token).get("/probe/admin").then().statusCode(200);
        given().auth().oauth2(TestKeys.sign(TestKeys.userClaims())).get("/probe/admin").then().statusCode(403);
    }

    /** Asks with the token until it is served (200) or the patience runs out; the last status. */
    static int statusOnceServed(String token, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        int status = 0;
        while (System.nanoTime() < deadline && status != 200) {
            status = given().auth().oauth2(token).get("/probe").statusCode();
        }
        return status;
    }
}
