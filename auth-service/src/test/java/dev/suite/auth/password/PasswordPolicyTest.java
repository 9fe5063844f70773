package dev.suite.auth.password;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.suite.problem.Problem;

/**
 * DESIGN.md invariant 4, written as the attack: what a guesser tries first against a 15-character minimum must be
 * refused, and the passphrases people (and every test of the suite) actually use must still be accepted.
 */
class PasswordPolicyTest {

    private static final String EMAIL = "kestrel.orchard@example.com";
    private static final String NAME = "Amber Kestrel";
    private static final TestPasswordConfig CONFIG = TestPasswordConfig.bcrypt(4);
    private static final PasswordPolicy POLICY = new PasswordPolicy(CONFIG, new CommonPasswords(), new KnownPhrases(),
            new GuessEstimator(), new HashingPool(CONFIG));

    /** What an attacker tries first, by kind. */
    static Stream<Arguments> guessedFirst() {
        return Stream.of(
                // one character repeated
                refused("repeated", "aaaaaaaaaaaaaaa"),
                refused("repeated", "aaaaaaaaaaaaaaa1"),
                refused("repeated", "zzzzzzzzzzzzzzzzzzzzzzzz"),
                refused("repeated", "!!!!!!!!!!!!!!!!"),
                // sequences
                refused("sequence", "123456789012345"),
                refused("sequence", "12345678901234567890"),
                refused("sequence", "987654321098765"),
                refused("sequence", "abcdefghijklmnop"),
                refused("sequence", "abcdefghijklmnopqrstuvwxyz"),
                // keyboard walks
                refused("keyboard", "qwertyuiopasdfgh"),
                refused("keyboard", "1qaz2wsx3edc4rfv"),
                refused("keyboard", "zaq12wsxcde34rfv"),
                refused("keyboard", "1q2w3e4r5t6y7u8i9o0p"),
                refused("keyboard", "qazwsxedcrfvtgbyhn"),
                refused("keyboard", "qwertyuiop[]asdfghjkl;'"),
                refused("keyboard", "1234567890qwerty"),
                refused("keyboard", "!QAZ@WSX#EDC$RFV"),
                refused("keyboard", "!QAZ2wsx#EDC4rfv"),
                refused("keyboard", "QWERTYUIOPASDFGH"),
                // a pattern or a common password, repeated or padded
                refused("repeated pattern", "abcabcabcabcabc"),
                refused("repeated pattern", "iloveyouiloveyou"),
                refused("repeated pattern", "qwertyqwertyqwerty"),
                refused("repeated pattern", "trustno1trustno1"),
                refused("repeated pattern", "P@ssw0rdP@ssw0rd"),
                refused("repeated pattern", "passwordpasswordpassword"),
                refused("repeated pattern", "Password1Password1Password1"),
                refused("repeated pattern", "Password1".repeat(14)),
                refused("repeated pattern", "monkey-monkey-monkey-monkey-monkey-monkey"),
                refused("repeated pattern", "dragon dragon dragon dragon"),
                refused("padded", "passwordpassword1"),
                refused("padded", "Password123456789"),
                refused("padded", "iloveyou12345678"),
                refused("padded", "monkeymonkey12345"),
                refused("padded", "letmeinletmein123"),
                refused("padded", "Summer2024!Summer"),
                refused("padded", "ilovemyfamily2024"),
                refused("padded", "correcthorsebatterystaple1"),
                // known passphrases
                refused("known phrase", "correct horse battery staple"),
                refused("known phrase", "correcthorsebatterystaple"),
                refused("known phrase", "Correct-Horse-Battery-Staple"),
                refused("known phrase", "thequickbrownfoxjumpsoverthelazydog"),
                refused("known phrase", "The quick brown fox jumps over the lazy dog."),
                refused("known phrase", "thequickbrownfox"),
                refused("known phrase", "thequickbrownfox123"),
                refused("known phrase", "my voice is my passport verify me"),
                refused("known phrase", "May the Force be with you!"),
                refused("known phrase", "to be or not to be that is the question"),
                refused("known phrase", "one ring to rule them all"),
                refused("known phrase", "all your base are belong to us"));
    }

    /** Passphrases that must keep working: the literals every test in the repository registers with, and a few more. */
    static Stream<String> goodPassphrases() {
        byte[] random = new byte[18];
        new SecureRandom().nextBytes(random);
        return Stream.of(
                "violet-otter-marmalade-42", // auth-service tests (AuthClient.PASSWORD)
                "amber-kestrel-orchard-19", // gateway and system tests
                "quiet-harbour-lantern-77", // user-service tests
                "a brand new and long passphrase", "another fine passphrase", "another long passphrase 42",
                "another long passphrase 77", "a wrong but long passphrase", "an old but fine password",
                "not a real password at all", "quartz lantern 7 meadow violet orbit", // bench users
                "log-canary-" + UUID.randomUUID(),
                Base64.getUrlEncoder().withoutPadding().encodeToString(random), // the SPA's end-to-end users
                "tangerine walrus gazebo 77", "blue glacier humming lantern", "Rj3v_Q8kLmZt2wXa9bYcPd0e",
                "my cat sleeps on the warm laptop keyboard every single afternoon while I try to write code "
                        + "and the coffee slowly goes cold");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("guessedFirst")
    void whatAnAttackerTriesFirstIsRefusedSayingWhatToFix(String kind, String password) {
        Optional<String> refusal = refusal(password, "someone.else@example.com", "Someone Else");
        assertThat(refusal).as(kind + " accepted").isPresent();
        assertThat(refusal.get()).startsWith("password is too").doesNotContain(password);
    }

    @Test
    void theAccountsOwnNameAndEmailWordsAreWorthNoGuessesInAnyOrder() {
        String fromOwnWords = "orchard-kestrel-amber-2";
        assertThat(refusal(fromOwnWords, "someone.else@example.com", "Someone Else")).isEmpty();
        assertThat(refusal(fromOwnWords, EMAIL, NAME)).hasValueSatisfying(
                detail -> assertThat(detail).contains("too easy to guess").contains("your name or email"));
    }

    @Test
    void theEstimateRunsOnTheHashingPoolNotTheCallersThread() {
        String[] thread = new String[1];
        GuessEstimator spy = new GuessEstimator() {
            @Override
            public Estimate estimate(String password, java.util.Collection<String> personalWords) {
                thread[0] = Thread.currentThread().getName();
                return super.estimate(password, personalWords);
            }
        };
        new PasswordPolicy(CONFIG, new CommonPasswords(), new KnownPhrases(), spy, new HashingPool(CONFIG))
                .check("violet-otter-marmalade-42", EMAIL, NAME, java.util.List.of()).await().atMost(Duration.ofSeconds(10));
        assertThat(thread[0]).startsWith("password-hashing-");
    }

    @ParameterizedTest
    @MethodSource("goodPassphrases")
    void passphrasesPeopleUseAreAccepted(String password) {
        assertThat(refusal(password, "someone.else@example.com", "Someone Else")).isEmpty();
    }

    private static Arguments refused(String kind, String password) {
        return Arguments.of(kind, password);
    }

    private static Optional<String> refusal(String password, String email, String displayName) {
        try {
            POLICY.check(password, email, displayName, java.util.List.of()).await().atMost(Duration.ofSeconds(10));
            return Optional.empty();
        } catch (Problem problem) {
            assertThat(problem.status()).isEqualTo(400);
            return Optional.of(problem.getMessage());
        }
    }
}
