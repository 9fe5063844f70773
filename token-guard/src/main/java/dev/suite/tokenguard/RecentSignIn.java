package dev.suite.tokenguard;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.enterprise.util.Nonbinding;
import jakarta.interceptor.InterceptorBinding;

/**
 * Step-up for a sensitive action (change a password or a second factor, delete an account, an admin action): the
 * caller's token must say its user signed in ({@code auth_time}) within {@link #maxAge()}, and with
 * {@link #secondFactor()} that a second factor was used ({@code mfa} in {@code amr}). Otherwise 403 with
 * {@code WWW-Authenticate: Bearer error="insufficient_user_authentication"} (RFC 9470): sign in again, then retry.
 * On a bean method of a signed-in request (a JAX-RS resource method, say); {@link StepUp} is the same check in code.
 */
@InterceptorBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.METHOD, ElementType.TYPE })
public @interface RecentSignIn {

    /** ISO-8601 duration: how long ago the sign-in may have been. */
    @Nonbinding
    String maxAge() default "PT5M";

    /** Whether a second factor must have been used too (an account without one can then never pass). */
    @Nonbinding
    boolean secondFactor() default false;
}
