package dev.suite.tokenguard;

import java.time.Duration;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

/** Runs {@link StepUp} for every method (or class) annotated {@link RecentSignIn}, before the method. */
@RecentSignIn
@Interceptor
// After Quarkus's own security checks (PLATFORM_BEFORE + 200 range): the caller is authenticated by then.
@Priority(Interceptor.Priority.LIBRARY_AFTER)
public class RecentSignInInterceptor {

    @Inject
    SecurityIdentity identity;

    @AroundInvoke
    Object check(InvocationContext invocation) throws Exception {
        RecentSignIn rule = invocation.getMethod().getAnnotation(RecentSignIn.class);
        if (rule == null) {
            rule = invocation.getMethod().getDeclaringClass().getAnnotation(RecentSignIn.class);
        }
        VerifiedToken token = identity.isAnonymous() ? null : TokenIdentityProvider.tokenOf(identity);
        StepUp.require(token, Duration.parse(rule.maxAge()), rule.secondFactor());
        return invocation.proceed();
    }
}
