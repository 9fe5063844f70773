package dev.suite.tokenguard;

import io.smallrye.mutiny.Uni;

/**
 * Where public keys come from: the auth service's JWKS over HTTP ({@link RemoteJwksSource}) everywhere
 * except in the auth service itself, which provides its own keys without calling itself.
 */
public interface JwksSource {

    /** The JWKS document as JSON. */
    Uni<String> fetch();
}
