package dev.suite.users.profile;

import java.util.UUID;
import java.util.function.Supplier;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Runs work in a transaction that PostgreSQL's row-level security scopes to one owner: the policy on
 * {@code profile} lets {@code users_app} see only the row whose id is {@code app.owner_id}, set here with
 * {@code is_local = true}, so it ends with the transaction and never leaks to the pool's next user.
 */
final class OwnerScope {

    private OwnerScope() {
    }

    static <T> Uni<T> inTransactionOf(UUID owner, Supplier<Uni<T>> work) {
        return Panache.withTransaction(() -> Panache.getSession()
                .chain(session -> session.createNativeQuery("SELECT set_config('app.owner_id', ?1, true)")
                        .setParameter(1, owner.toString()).getSingleResult())
                .chain(ignored -> work.get()));
    }
}
