package dev.suite.tokenguard;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Turns a checked token into a SecurityIdentity: principal = subject, roles = groups, the token as attribute. */
@ApplicationScoped
public class TokenIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {

    /** Attribute under which the {@link VerifiedToken} is found on the identity. */
    public static final String TOKEN_ATTRIBUTE = VerifiedToken.class.getName();

    private final TokenGuard guard;

    TokenIdentityProvider(TokenGuard guard) {
        this.guard = guard;
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        return guard.check(request.token()).map(token -> QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(token.subject()))
                .addRoles(token.groups())
                .addAttribute(TOKEN_ATTRIBUTE, token)
                .build());
    }

    /** The verified token of an authenticated identity. */
    public static VerifiedToken tokenOf(SecurityIdentity identity) {
        return identity.getAttribute(TOKEN_ATTRIBUTE);
    }
}
