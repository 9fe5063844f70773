package dev.suite.auth.token;

import dev.suite.tokenguard.JwksSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** token-guard in the auth service reads the keys from memory instead of calling its own JWKS endpoint. */
@ApplicationScoped
public class OwnKeysJwksSource implements JwksSource {

    private final SigningKeys keys;

    OwnKeysJwksSource(SigningKeys keys) {
        this.keys = keys;
    }

    @Override
    public Uni<String> fetch() {
        return keys.publishedJwks();
    }
}
