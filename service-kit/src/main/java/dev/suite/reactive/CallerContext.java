package dev.suite.reactive;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Brings a result back to the Vert.x context of the request that asked for it. The Redis client completes on
 * its connection's context and a timeout fires on a Mutiny thread; a request that went on there would share
 * context-local state (its Hibernate Reactive session, its request scope) with every other request served by
 * that connection. Every call that leaves the request's context (Redis, worker pools) comes back through here.
 */
public final class CallerContext {

    private CallerContext() {
    }

    /** {@code work}, subscribed to now, with its item or failure delivered on the subscriber's context. */
    public static <T> Uni<T> resumeOnCaller(Uni<T> work) {
        return Uni.createFrom().deferred(() -> {
            Context caller = Vertx.currentContext();
            if (caller == null) {
                return work;
            }
            return work.emitOn(task -> {
                if (Vertx.currentContext() == caller) {
                    task.run();
                } else {
                    caller.runOnContext(ignored -> task.run());
                }
            });
        });
    }
}
