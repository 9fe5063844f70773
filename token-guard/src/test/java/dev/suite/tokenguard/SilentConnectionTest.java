package dev.suite.tokenguard;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import dev.suite.fixtures.SharedStack;
import dev.suite.localstack.LocalStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;

/**
 * A connection to Redis that goes silent without closing (a lost NAT or conntrack entry, a middlebox failover): new
 * connections still work, the old one answers nothing, forever. The checks must fail closed meanwhile and be back on a
 * new connection once the silent one is given up, not on the same dead socket handed back by the client's pool.
 * Redis is reached through a relay here (TLS passes through untouched) that can silence the flows it already carries.
 */
@QuarkusTest
@QuarkusTestResource(SharedStack.class)
@TestProfile(SilentConnectionTest.ThroughRelay.class)
class SilentConnectionTest {

    static final Relay RELAY = Relay.start();

    public static class ThroughRelay implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.redis.hosts", "rediss://127.0.0.1:" + RELAY.port() + "?user=auth-service");
        }
    }

    @Inject
    TokenGuardConfig config;

    @AfterAll
    static void stopRelay() {
        RELAY.close();
    }

    @Test
    void aConnectionThatGoesSilentIsReplacedByANewOne() {
        String token = TestKeys.sign(TestKeys.userClaims());
        given().auth().oauth2(token).get("/probe").then().statusCode(200);
        int connectionsBefore = RELAY.accepted();

        RELAY.silenceExisting();
        given().auth().oauth2(token).get("/probe").then().statusCode(503);

        Duration patience = config.revocation().timeout().multipliedBy(PipelinedRedis.DEAD_AFTER_TIMEOUTS)
                .plus(PipelinedRedis.REOPEN_PAUSE).plusSeconds(10);
        assertThat(RevocationTest.statusOnceServed(token, patience)).as("a check on a fresh connection").isEqualTo(200);
        assertThat(RELAY.accepted()).as("connections through the relay").isGreaterThan(connectionsBefore);
    }

    /** Forwards 127.0.0.1:port to the shared Redis; {@link #silenceExisting} stops every flow it carries so far. */
    static final class Relay implements AutoCloseable {
        private final ServerSocket server;
        private final AtomicInteger accepted = new AtomicInteger();
        private final List<AtomicBoolean> flows = new CopyOnWriteArrayList<>();
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();

        private Relay(ServerSocket server) {
            this.server = server;
        }

        static Relay start() {
            try {
                Relay relay = new Relay(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
                Thread acceptor = new Thread(relay::acceptLoop, "redis-relay");
                acceptor.setDaemon(true);
                acceptor.start();
                return relay;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        int port() {
            return server.getLocalPort();
        }

        int accepted() {
            return accepted.get();
        }

        void silenceExisting() {
            flows.forEach(open -> open.set(false));
        }

        private void acceptLoop() {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    Socket redis = new Socket(InetAddress.getLoopbackAddress(), LocalStack.shared().redis().port());
                    accepted.incrementAndGet();
                    AtomicBoolean open = new AtomicBoolean(true);
                    flows.add(open);
                    sockets.add(client);
                    sockets.add(redis);
                    pump(client, redis, open);
                    pump(redis, client, open);
                } catch (IOException e) {
                    // closed, or one connection failed: the others go on
                }
            }
        }

        /** Copies while the flow is open; once silenced, reads and drops, so the peer sees a live socket that never answers. */
        private static void pump(Socket from, Socket to, AtomicBoolean open) {
            Thread pump = new Thread(() -> {
                byte[] buffer = new byte[8192];
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    int read;
                    while ((read = in.read(buffer)) >= 0) {
                        if (open.get()) {
                            out.write(buffer, 0, read);
                            out.flush();
                        }
                    }
                } catch (IOException e) {
                    // one side closed
                }
            }, "redis-relay-pump");
            pump.setDaemon(true);
            pump.start();
        }

        @Override
        public void close() {
            try {
                server.close();
            } catch (IOException e) {
                // already closed
            }
            for (Socket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException e) {
                    // already closed
                }
            }
        }
    }
}
