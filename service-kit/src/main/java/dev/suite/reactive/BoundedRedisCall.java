package dev.suite.reactive;

import java.time.Duration;
import java.util.function.Function;

import io.smallrye.mutiny.Uni;

/**
 * The one way the suite calls Redis on a request path: with a timeout, every failure (no answer in time, a refused
 * or broken connection, an error reply) turned into the caller's "unavailable" answer so that it fails closed, and
 * the result delivered back on the request's own Vert.x context ({@link CallerContext}).
 */
public final class BoundedRedisCall {

    private BoundedRedisCall() {
    }

    /** {@code call}, bounded by {@code timeout}; {@code unavailable} makes the failure from a reason (for the log). */
    public static <T> Uni<T> of(Uni<T> call, Duration timeout, Function<String, ? extends RuntimeException> unavailable) {
        return CallerContext.resumeOnCaller(call
                .onFailure().transform(failure -> unavailable.apply("Redis failed: " + failure.getMessage()))
                .ifNoItem().after(timeout).failWith(() -> unavailable.apply("Redis did not answer within " + timeout.toMillis() + " ms")));
    }
}
