package dev.suite.tokenguard;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** A bearer token waiting to be checked by {@link TokenIdentityProvider}. */
public final class TokenAuthenticationRequest extends BaseAuthenticationRequest {

    private final String token;

    public TokenAuthenticationRequest(String token) {
        this.token = token;
    }

    public String token() {
        return token;
    }
}
