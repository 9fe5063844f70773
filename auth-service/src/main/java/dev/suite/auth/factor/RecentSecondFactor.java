package dev.suite.auth.factor;

import java.util.List;
import java.util.UUID;

import dev.suite.auth.session.SessionService;

import dev.suite.tokenguard.StepUp;
import dev.suite.tokenguard.VerifiedToken;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The auth service's step-up rule for its sensitive actions (turning a factor off, new recovery codes, a password
 * or address change, admin actions, deleting the account): token-guard's {@link StepUp} with the window of {@code auth.second-factor.step-up-window}, and a second
 * factor in the token's amr whenever the account has one, as this service alone knows from its database.
 */
@ApplicationScoped
public class RecentSecondFactor {

    private final FactorRepository factors;
    private final SecondFactorConfig config;
    private final SessionService sessions;

    RecentSecondFactor(FactorRepository factors, SecondFactorConfig config, SessionService sessions) {
        this.factors = factors;
        this.config = config;
        this.sessions = sessions;
    }

    /** Fails with StepUp's 403 unless the token shows a recent enough sign-in (with the factor the account has). */
    public Uni<Void> require(VerifiedToken token) {
        return Panache.withSession(() -> factors.hasConfirmedFactor(UUID.fromString(token.subject())))
                .invoke(hasFactor -> StepUp.require(token, config.stepUpWindow(), hasFactor)).replaceWithVoid();
    }

    /**
     * {@link #requireIfFactor(VerifiedToken)} for a session named by a trusted service rather than by the user's token
     * (the user service deleting an account): the session's own record says how and when it signed in.
     */
    public Uni<Void> requireIfFactor(UUID accountId, UUID sessionId) {
        return Panache.withSession(() -> factors.hasConfirmedFactor(accountId).chain(hasFactor -> !hasFactor
                ? Uni.createFrom().voidItem()
                : sessions.proofOf(accountId, sessionId).invoke(proof -> StepUp.require(proof == null ? null : proof.at(),
                        proof == null ? List.of() : proof.amr(), config.stepUpWindow(), true)).replaceWithVoid()));
    }

    /**
     * A sign-in with a second factor within the window, whether or not the account has one: for removing somebody
     * else's factors (an admin's reset), which a password alone must never do (review of issue 22).
     */
    public Uni<Void> requireWithSecondFactor(VerifiedToken token) {
        return Uni.createFrom().voidItem().invoke(() -> StepUp.require(token, config.stepUpWindow(), true));
    }

    /** Only for an account with a second factor: one without keeps the password change as it was (the password proves it). */
    public Uni<Void> requireIfFactor(VerifiedToken token) {
        return Panache.withSession(() -> factors.hasConfirmedFactor(UUID.fromString(token.subject())))
                .invoke(hasFactor -> {
                    if (hasFactor) {
                        StepUp.require(token, config.stepUpWindow(), true);
                    }
                }).replaceWithVoid();
    }
}
