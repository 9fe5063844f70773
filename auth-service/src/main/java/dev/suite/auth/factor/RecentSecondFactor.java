package dev.suite.auth.factor;

import java.util.UUID;

import dev.suite.tokenguard.StepUp;
import dev.suite.tokenguard.VerifiedToken;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The auth service's step-up rule for its sensitive actions (turning a factor off, new recovery codes, a password
 * change): token-guard's {@link StepUp} with the window of {@code auth.second-factor.step-up-window}, and a second
 * factor in the token's amr whenever the account has one, as this service alone knows from its database.
 */
@ApplicationScoped
public class RecentSecondFactor {

    private final FactorRepository factors;
    private final SecondFactorConfig config;

    RecentSecondFactor(FactorRepository factors, SecondFactorConfig config) {
        this.factors = factors;
        this.config = config;
    }

    /** Fails with StepUp's 403 unless the token shows a recent enough sign-in (with the factor the account has). */
    public Uni<Void> require(VerifiedToken token) {
        return Panache.withSession(() -> factors.hasConfirmedFactor(UUID.fromString(token.subject())))
                .invoke(hasFactor -> StepUp.require(token, config.stepUpWindow(), hasFactor)).replaceWithVoid();
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
