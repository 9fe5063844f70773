package dev.suite.bench.scenario;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

import dev.suite.bench.load.Request;
import dev.suite.bench.load.Session;
import io.vertx.core.buffer.Buffer;

/**
 * One client's refresh loop: each refresh presents the refresh token the previous one returned, so every request
 * is a real rotation where the server rotates (the suite always; Keycloak with revokeRefreshToken on). A non-200
 * breaks the chain (counted as an error); the session then logs in again, uncounted, and goes on.
 */
public final class RefreshChain implements Session {

    /** How one server is asked: its login and refresh requests, and where its answer holds the refresh token. */
    public interface Protocol {
        Request login();

        Request refresh(String refreshToken);

        String refreshToken(String answer);
    }

    private final Protocol protocol;
    private volatile String refreshToken;

    public RefreshChain(Protocol protocol, String refreshToken) {
        this.protocol = protocol;
        this.refreshToken = refreshToken;
    }

    /** One chain per session, each starting from its session's refresh token; the i-th asks through {@code protocols}' i-th. */
    public static List<RefreshChain> of(List<SuiteClient.Tokens> sessions, IntFunction<Protocol> protocols) {
        return IntStream.range(0, sessions.size())
                .mapToObj(i -> new RefreshChain(protocols.apply(i), sessions.get(i).refreshToken())).toList();
    }

    /** The suite's auth service: JSON in, IssuedTokens out. */
    static Protocol suite(SuiteClient.User user) {
        return new Protocol() {
            @Override
            public Request login() {
                return Request.postJson("/login", user.loginJson());
            }

            @Override
            public Request refresh(String token) {
                return Request.postJson("/refresh", "{\"refreshToken\":\"" + token + "\"}");
            }

            @Override
            public String refreshToken(String answer) {
                return SuiteClient.tokens(answer).refreshToken();
            }
        };
    }

    @Override
    public Request next() {
        String token = refreshToken;
        return token == null ? protocol.login().uncounted() : protocol.refresh(token);
    }

    @Override
    public void answered(Request request, int status, Buffer body) {
        if (status == 200 && body != null) {
            refreshToken = protocol.refreshToken(body.toString(StandardCharsets.UTF_8));
        } else {
            refreshToken = null;
        }
    }
}
