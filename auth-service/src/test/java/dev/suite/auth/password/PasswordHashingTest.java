package dev.suite.auth.password;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.suite.problem.Problem;
import io.smallrye.mutiny.Uni;

/** DESIGN.md invariants 4 and 5 at the hashing layer: every character counts, upgrades happen, off the event loop. */
class PasswordHashingTest {

    private static PasswordHashing hashing(TestPasswordConfig config) {
        return new PasswordHashing(config, new HashingPool(config));
    }

    @ParameterizedTest
    @EnumSource(PasswordConfig.Algorithm.class)
    void everyAlgorithmVerifiesItsOwnSelfDescribingHashAndNothingElse(PasswordConfig.Algorithm algorithm) {
        PasswordHashing hashing = hashing(TestPasswordConfig.bcrypt(4).with(algorithm));
        String stored = hashing.hashNow("correct horse battery staple");
        assertThat(stored).startsWith("$sv1$none$").contains(switch (algorithm) {
            case BCRYPT -> "$2b$04$";
            case SCRYPT -> "$scrypt$ln=10,r=8,p=1$";
            case ARGON2ID -> "$argon2id$v=19$m=1024,t=2,p=1$";
        });
        assertThat(hashing.verifyNow("correct horse battery staple", stored).matches()).isTrue();
        assertThat(hashing.verifyNow("correct horse battery stapl", stored).matches()).isFalse();
    }

    @Test
    void bcryptHashesWrittenByTheEarlierLibraryStillVerify() {
        // A $2b$ hash of this 44-byte input (the shape of the pre-hash) made by at.favre.lib:bcrypt 0.10.2, the
        // implementation before Bouncy Castle's: stored hashes must survive the switch.
        byte[] secret = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGH".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        String earlier = "$2b$05$RnG3ZHza78hKkwaOJc00zOIk3rnqC2cw8ip2zFnY3sbVd4OvF37sK";
        BcryptHasher hasher = new BcryptHasher(5);
        assertThat(hasher.verify(secret, earlier)).isTrue();
        secret[43] ^= 1;
        assertThat(hasher.verify(secret, earlier)).isFalse();
    }

    @Test
    void aHundredCharacterPasswordDifferingOnlyAtCharacter90IsRefused() {
        PasswordHashing hashing = hashing(TestPasswordConfig.bcrypt(4));
        String password = "a".repeat(89) + "b" + "c".repeat(10);
        String other = "a".repeat(89) + "X" + "c".repeat(10);
        String stored = hashing.hashNow(password);
        assertThat(hashing.verifyNow(password, stored).matches()).isTrue();
        assertThat(hashing.verifyNow(other, stored).matches()).isFalse();
    }

    @Test
    void multiByteCharactersBeyondBcrypts72BytesStillCount() {
        PasswordHashing hashing = hashing(TestPasswordConfig.bcrypt(4));
        // 40 characters of 3 bytes each: 120 bytes, so bcrypt alone would ignore the last 16 characters.
        String password = "日本語".repeat(13) + "猫";
        String other = "日本語".repeat(13) + "犬";
        String stored = hashing.hashNow(password);
        assertThat(hashing.verifyNow(other, stored).matches()).isFalse();
        assertThat(hashing.verifyNow(password + "\u0000tail", stored).matches()).isFalse();
    }

    @Test
    void hashesOfAnotherAlgorithmCostOrPepperAskToBeUpgradedOnlyWhenTheyMatch() {
        String password = "an old but fine password";
        String oldBcrypt = hashing(TestPasswordConfig.bcrypt(5)).hashNow(password);
        String scrypt = hashing(TestPasswordConfig.bcrypt(4).with(PasswordConfig.Algorithm.SCRYPT)).hashNow(password);
        PasswordHashing current = hashing(TestPasswordConfig.bcrypt(4));
        String fresh = current.hashNow(password);

        assertThat(current.verifyNow(password, oldBcrypt)).isEqualTo(new PasswordHashing.Verification(true, true));
        assertThat(current.verifyNow(password, scrypt)).isEqualTo(new PasswordHashing.Verification(true, true));
        assertThat(current.verifyNow(password, fresh)).isEqualTo(new PasswordHashing.Verification(true, false));
        assertThat(current.verifyNow("wrong password!!", oldBcrypt)).isEqualTo(new PasswordHashing.Verification(false, false));

        PasswordHashing peppered = hashing(TestPasswordConfig.bcrypt(4).withPepper("server-side-secret"));
        assertThat(peppered.verifyNow(password, fresh)).isEqualTo(new PasswordHashing.Verification(true, true));
        String pepperedHash = peppered.hashNow(password);
        assertThat(pepperedHash).startsWith("$sv1$p1$");
        assertThat(current.verifyNow(password, pepperedHash).matches()).as("unknown pepper never verifies").isFalse();
    }

    @Test
    void hashingRunsOnItsOwnThreadsAndAFullQueueAnswers503() throws InterruptedException {
        TestPasswordConfig config = new TestPasswordConfig(PasswordConfig.Algorithm.BCRYPT, 4, java.util.Optional.empty(), 1, 1);
        HashingPool pool = new HashingPool(config);
        assertThat(pool.run(() -> Thread.currentThread().getName()).await().atMost(Duration.ofSeconds(5)))
                .startsWith("password-hashing-");

        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        pool.run(() -> {
            started.countDown();
            return await(release);
        }).subscribe().with(x -> { });
        assertThat(started.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue(); // the only thread is busy
        pool.run(() -> await(release)).subscribe().with(x -> { }); // fills the one queue slot
        assertThatThrownBy(() -> pool.run(() -> "third").await().atMost(Duration.ofSeconds(5)))
                .isInstanceOfSatisfying(Problem.class, p -> {
                    assertThat(p.status()).isEqualTo(503);
                    assertThat(p.headers()).containsKey("Retry-After");
                });
        release.countDown();
    }

    /** Invariant 5: one account (or device, session) cannot hold more than its share of the pool, whoever else waits. */
    @Test
    void oneOwnerHoldsNoMoreThanItsShareOfThePool() throws InterruptedException {
        TestPasswordConfig config = new TestPasswordConfig(PasswordConfig.Algorithm.BCRYPT, 4, java.util.Optional.empty(), 1, 8);
        HashingPool pool = new HashingPool(config);
        CountDownLatch release = new CountDownLatch(1);
        List<String> attacker = List.of("acct:alice", "ip:203.0.113.9");
        pool.run(attacker, () -> await(release)).subscribe().with(x -> { });
        pool.run(attacker, () -> await(release)).subscribe().with(x -> { }); // the account's share (2) is now held
        assertThatThrownBy(() -> pool.run(attacker, () -> "third").await().atMost(Duration.ofSeconds(5)))
                .isInstanceOfSatisfying(Problem.class, p -> assertThat(p.status()).isEqualTo(429));
        // Someone else still gets a place in the queue, and runs once the pool frees up.
        var other = pool.run(List.of("acct:bob", "ip:198.51.100.7"), () -> "bob's hash").subscribe().asCompletionStage();
        release.countDown();
        assertThat(other.toCompletableFuture().join()).isEqualTo("bob's hash");
        assertThat(pool.run(attacker, () -> "later").await().atMost(Duration.ofSeconds(5))).as("the share is given back").isEqualTo("later");
    }

    /** The strength estimate and then the hash, back to back, within a share of one: the first gives its place back first. */
    @Test
    void aShareIsFreeAgainWhenTheCallerHearsOfTheResult() {
        TestPasswordConfig config = new TestPasswordConfig(PasswordConfig.Algorithm.BCRYPT, 4, java.util.Optional.empty(), 1, 4);
        HashingPool pool = new HashingPool(config); // a client's share: (1 + 4) / 4 = 1
        for (int i = 0; i < 50; i++) {
            assertThat(pool.run(List.of("ip:203.0.113.1"), () -> "estimate")
                    .chain(() -> pool.run(List.of("ip:203.0.113.1"), () -> "hash")).await().atMost(Duration.ofSeconds(5)))
                    .isEqualTo("hash");
        }
    }

    private static Object await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "done";
    }
}
