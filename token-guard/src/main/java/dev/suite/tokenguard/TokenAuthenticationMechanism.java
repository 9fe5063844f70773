package dev.suite.tokenguard;

import java.util.Set;

import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/** Reads the token from {@code Authorization: Bearer} (or the configured cookie) and hands it to token-guard. */
@ApplicationScoped
public class TokenAuthenticationMechanism implements HttpAuthenticationMechanism {

    private static final String BEARER = "bearer ";
    private static final String BASIC = "basic ";
    private static final ChallengeData CHALLENGE = new ChallengeData(401, "WWW-Authenticate", "Bearer");

    private final String cookieName;

    TokenAuthenticationMechanism(TokenGuardConfig config) {
        this.cookieName = config.cookieName().orElse(null);
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        String token = tokenOf(context);
        if (token == null) {
            return Uni.createFrom().nullItem(); // anonymous: endpoints that need a token will answer 401
        }
        return identityProviderManager.authenticate(
                HttpSecurityUtils.setRoutingContextAttribute(new TokenAuthenticationRequest(token), context));
    }

    private String tokenOf(RoutingContext context) {
        String header = context.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (header != null) {
            if (header.regionMatches(true, 0, BASIC, 0, BASIC.length())) {
                // A client's id and secret (the auth service's introspection endpoint takes them), never a token:
                // anonymous here, and no cookie is read next to it; an endpoint that needs a token still answers 401.
                return null;
            }
            // A malformed Authorization header is a failed attempt, not an anonymous request.
            return header.regionMatches(true, 0, BEARER, 0, BEARER.length()) ? header.substring(BEARER.length()).strip() : "";
        }
        if (cookieName != null) {
            Cookie cookie = context.request().getCookie(cookieName);
            return cookie == null ? null : cookie.getValue();
        }
        return null;
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(CHALLENGE);
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(TokenAuthenticationRequest.class);
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom().item(new HttpCredentialTransport(HttpCredentialTransport.Type.AUTHORIZATION, "bearer"));
    }
}
