package dev.suite.auth.attacks;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import org.eclipse.microprofile.jwt.Claims;

import dev.suite.auth.token.SigningKeys;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;

/** Access tokens as whoever holds a signing key can make them: any subject, session, groups, id and issue time. */
final class ForgedTokens {

    /** This service's issuer: its own URL, as every token it signs says. */
    static final String ISSUER = org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("token-guard.issuer", String.class);

    private ForgedTokens() {
    }

    /** A ten-minute access token issued at {@code issued}, signed with {@code key}, with every claim token-guard checks. */
    static String accessToken(SigningKeys.SigningKey key, String subject, String sessionId, Set<String> groups, String tokenId,
            Instant issued) {
        return Jwt.audience("suite").subject(subject).groups(groups).claim("sid", sessionId).issuer(ISSUER)
                .claim(Claims.jti.name(), tokenId).issuedAt(issued).claim(Claims.nbf.name(), issued.getEpochSecond())
                .expiresAt(issued.plus(Duration.ofMinutes(10)))
                .jws().keyId(key.kid()).header("typ", "at+jwt").algorithm(SignatureAlgorithm.ES256).sign(key.privateKey());
    }
}
