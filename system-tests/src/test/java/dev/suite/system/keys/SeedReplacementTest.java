package dev.suite.system.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.suite.launcher.ServiceProcess;
import dev.suite.launcher.SuiteProcesses;
import dev.suite.launcher.SuiteTopology;
import dev.suite.launcher.Tuning;
import dev.suite.localstack.LocalSecrets;
import dev.suite.localstack.LocalStack;
import dev.suite.system.support.Answer;
import dev.suite.system.support.Database;
import dev.suite.system.support.Http;
import io.vertx.core.json.JsonObject;

/**
 * Invariant 10, the seed: the secret that seals the key ring (and derives the refresh-successor and device keys)
 * leaked. Before, it "must never be replaced". The runbook of deploy/k8s/README.md ("A leaked seed") is run here
 * against the real jar: a rolling restart with the new seed and the leaked one as previous re-seals the ring with
 * no session lost, a restart without the leaked seed keeps working, and the leaked seed alone opens nothing.
 * On a stack of its own: re-sealing the shared suite's ring would lock out the other services of the run.
 */
class SeedReplacementTest {

    private static final String PASSWORD = "copper-meadow-lantern-58";

    @Test
    void aLeakedSeedIsReplacedWithoutLosingASessionAndThenOpensNothing() throws Exception {
        try (LocalStack stack = LocalStack.startNew()) {
            Path dir = Files.createTempDirectory("seed-replacement");
            Path leaked = newSeed(dir.resolve("leaked"));
            Path fresh = newSeed(dir.resolve("fresh"));
            SuiteTopology topology = SuiteTopology.onFreePorts().tuned(Tuning.FAST_HASHING);
            String email = "seed-" + UUID.randomUUID() + "@example.com";

            String refresh;
            try (ServiceProcess auth = start(stack, topology, leaked, null)) {
                assertThat(post(auth, "/register", new JsonObject().put("email", email).put("password", PASSWORD)
                        .put("displayName", "Seed")).status()).isEqualTo(202);
                refresh = login(auth, email).getString("refreshToken");
            }
            String sealedByLeaked = sealers(stack);

            // Step 1: new seed in auth.signing.key, the leaked one in auth.signing.previous-key, rolling restart.
            try (ServiceProcess auth = start(stack, topology, fresh, leaked)) {
                refresh = refreshed(auth, refresh);
                login(auth, email);
            }
            assertThat(sealers(stack)).as("every key re-sealed under one seed, not the leaked one").isNotEqualTo(sealedByLeaked);
            // The ring's first key was the leaked seed itself: withdrawn at the re-key, its place taken by the next key.
            assertThat(Database.count(stack, "auth", "select count(*) from auth.signing_key where state = 'withdrawn'")).isEqualTo(1);
            assertThat(Database.count(stack, "auth", "select count(*) from auth.signing_key where state = 'current'")).isEqualTo(1);
            assertThat(Database.count(stack, "auth", "select count(distinct sealed_by) from auth.signing_key")).isEqualTo(1);

            // Step 2: the leaked seed removed from the secrets; sessions and logins go on.
            try (ServiceProcess auth = start(stack, topology, fresh, null)) {
                refreshed(auth, refresh);
                login(auth, email);
            }

            // The leaked seed alone opens no key of the ring: a service given only it does not come up.
            ServiceProcess withLeakedSeed = launch(stack, topology, leaked, null);
            try {
                assertThatThrownBy(withLeakedSeed::awaitReady).hasMessageContaining("auth-service");
            } finally {
                withLeakedSeed.close();
            }
        }
    }

    private static ServiceProcess start(LocalStack stack, SuiteTopology topology, Path seed, Path previousSeed) {
        return launch(stack, topology, seed, previousSeed).awaitReady();
    }

    /** The auth service alone, on the topology's ports whatever its seeds, so sessions and tokens outlive a restart. */
    private static ServiceProcess launch(LocalStack stack, SuiteTopology topology, Path seed, Path previousSeed) {
        Map<String, String> env = new HashMap<>();
        env.put("SUITE_JWT_SIGNING_KEY_FILE", seed.toString()); // what the dev profile reads auth.signing.key-file from
        if (previousSeed != null) {
            env.put("AUTH_SIGNING_PREVIOUS_KEY_FILE", previousSeed.toString());
        }
        return new SuiteProcesses(stack, topology.withSettings(SuiteTopology.AUTH, env), name -> System.out).launch(SuiteTopology.AUTH);
    }

    private static JsonObject login(ServiceProcess auth, String email) {
        Answer answer = post(auth, "/login", new JsonObject().put("email", email).put("password", PASSWORD));
        assertThat(answer.status()).as("%s", answer).isEqualTo(200);
        return answer.json();
    }

    private static String refreshed(ServiceProcess auth, String refreshToken) {
        Answer answer = post(auth, "/refresh", new JsonObject().put("refreshToken", refreshToken));
        assertThat(answer.status()).as("the session survives the seed change: %s", answer).isEqualTo(200);
        return answer.json().getString("refreshToken");
    }

    private static Answer post(ServiceProcess auth, String path, JsonObject body) {
        return Http.send("POST", auth.url() + path, Map.of(), body.encode());
    }

    /** Which seeds sealed the ring's keys, as one comparable text. */
    private static String sealers(LocalStack stack) {
        return Database.count(stack, "auth", "select count(*) from auth.signing_key where sealed_by is null") + "/"
                + Database.count(stack, "auth", "select count(distinct sealed_by) from auth.signing_key") + "/"
                + Database.count(stack, "auth", "select max(hashtext(coalesce(sealed_by, ''))) from auth.signing_key");
    }

    /** A new seed, made the way make run makes its dev signing key (LocalSecrets), in a folder of its own. */
    private static Path newSeed(Path dir) {
        return LocalSecrets.in(dir).signingKey();
    }
}
