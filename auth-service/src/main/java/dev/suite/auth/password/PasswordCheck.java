package dev.suite.auth.password;

import dev.suite.auth.throttle.GuessThrottle;
import dev.suite.auth.throttle.Guesser;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Every check of a password the user claims to know goes through here: the guess is counted by the throttle
 * before any hashing (429 while the guesser is locked), the hash runs within the guesser's share of the pool,
 * and a right guess gives its count back. An account that does not exist costs the same hashing work.
 */
@ApplicationScoped
public class PasswordCheck {

    /** Longer than any password the policy lets anyone set: refused before any work. */
    private static final int LONGEST_CLAIM = 1024;

    private final GuessThrottle throttle;
    private final PasswordHashing hashing;

    PasswordCheck(GuessThrottle throttle, PasswordHashing hashing) {
        this.throttle = throttle;
        this.hashing = hashing;
    }

    /** Whether {@code claimed} is the password whose hash is {@code stored} (null: no such account, never a match). */
    public Uni<PasswordHashing.Verification> verify(Guesser guesser, String claimed, String stored) {
        if (claimed == null || claimed.isEmpty() || claimed.length() > LONGEST_CLAIM) {
            return Uni.createFrom().item(new PasswordHashing.Verification(false, false));
        }
        return throttle.begin(guesser)
                .chain(() -> (stored == null ? hashing.verifyAgainstDecoy(claimed, guesser.hashingOwners())
                        : hashing.verify(claimed, stored, guesser.hashingOwners()))
                        // No verdict (pool full, share used up): the guess was not tried, so it does not count.
                        .onFailure().call(() -> throttle.notTried(guesser)))
                .call(verification -> verification.matches() ? throttle.succeeded(guesser) : Uni.createFrom().voidItem());
    }
}
