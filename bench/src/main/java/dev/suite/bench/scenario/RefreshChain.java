package dev.suite.bench.scenario;

import java.nio.charset.StandardCharsets;

import dev.suite.bench.load.Request;
import dev.suite.bench.load.Session;
import io.vertx.core.buffer.Buffer;

/**
 * One client's refresh loop: each refresh presents the refresh token the previous one returned, so every request
 * is a real rotation (database write, Redis, signing). A non-200 breaks the chain (counted as an error); the
 * session then logs in again, uncounted, and goes on.
 */
final class RefreshChain implements Session {

    private final SuiteClient.User user;
    private volatile String refreshToken;

    RefreshChain(SuiteClient.User user, String refreshToken) {
        this.user = user;
        this.refreshToken = refreshToken;
    }

    @Override
    public Request next() {
        if (refreshToken == null) {
            return Request.postJson("/login", user.loginJson()).uncounted();
        }
        return Request.postJson("/refresh", "{\"refreshToken\":\"" + refreshToken + "\"}");
    }

    @Override
    public void answered(Request request, int status, Buffer body) {
        if (status == 200 && body != null) {
            refreshToken = SuiteClient.tokens(body.toString(StandardCharsets.UTF_8)).refreshToken();
        } else {
            refreshToken = null;
        }
    }
}
