package dev.suite.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.suite.k8s.Rendered.Pod;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Redis in Kubernetes loads the same ACL users as the local stack (base/redis/users.acl, which deploy/local's
 * LocalRedis reads), one password per user from the redis-auth Secret, and evicts only keys with a TTL.
 */
class RedisConfigTest {

    static final List<String> OVERLAYS = Rendered.OVERLAYS;
    static final Path USERS = Repo.K8S.resolve("base/redis/users.acl");

    @TempDir
    Path tmp;

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void redisGetsTheOneListOfUsersAndAPasswordFileForEachUser(String overlay) {
        Rendered r = Rendered.overlay(overlay);
        JsonNode data = r.configMap("redis-config").path("data");
        assertThat(data.path("users.acl").asText()).isEqualTo(Repo.read(USERS));
        List<Pod> redisPods = r.pods().stream().filter(p -> p.label("app.kubernetes.io/component").equals("cache")).toList();
        assertThat(redisPods).isNotEmpty();
        for (Pod pod : redisPods) {
            assertThat(VaultSetupScriptTest.mountedKeys(r, pod.kind(), pod.name(), "password")).as(pod.name())
                    .containsExactlyInAnyOrderElementsOf(users().keySet());
        }
    }

    @Test
    void eachServiceHasItsOwnUserWithOnlyWhatItNeeds() {
        Map<String, String> users = users();
        assertThat(users.keySet()).containsExactly("default", "auth-service", "user-service", "gateway");
        users.forEach((user, rules) -> {
            assertThat(rules).as(user).doesNotContain("nopass").startsWith("on ");
            if (!user.equals("default")) {
                assertThat(rules).as(user).contains(" resetchannels ", " -@all ").doesNotContain("+@", "~*", "allkeys", "allcommands")
                        .doesNotContain("+flushall", "+flushdb", "+config", "+keys", "+scan", "+debug", "+script", "+acl",
                                "+client", "+monitor", "+shutdown", "+evalsha");
            }
        });
        // The services that only read revocations get nothing else on revoked:*.
        assertThat(commands(users.get("user-service"))).containsExactlyInAnyOrder("ping", "smismember");
        assertThat(keys(users.get("user-service"))).containsExactly("revoked:*");
        // The gateway's writes are INCR and GETEX only: both refuse a set, so it cannot remove or shorten a revocation.
        assertThat(commands(users.get("gateway"))).containsExactlyInAnyOrder("ping", "smismember", "eval", "incr", "getex", "pttl");
        assertThat(keys(users.get("gateway"))).containsExactlyInAnyOrder("revoked:*", "ratelimit:*");
        assertThat(keys(users.get("auth-service"))).containsExactlyInAnyOrder("revoked:*", "login:*");
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void evictionTakesOnlyKeysWithATtlAndNoSharedPasswordIsLeft(String overlay) {
        String conf = Rendered.overlay(overlay).configMap("redis-config").path("data").path("redis.conf").asText();
        assertThat(conf).containsPattern("(?m)^maxmemory-policy volatile-lru$").containsPattern("(?m)^maxmemory \\d+mb$")
                .containsPattern("(?m)^include /run/redis/auth.conf$")
                .doesNotContainPattern("(?m)^\\s*requirepass").doesNotContainPattern("(?m)^\\s*aclfile");
    }

    @Test
    void theStartCommandAppendsEachUsersPasswordAndStopsWhenOneIsMissing() throws Exception {
        Path secrets = Files.createDirectories(tmp.resolve("secrets"));
        for (String user : users().keySet()) {
            Files.writeString(secrets.resolve(user), "pw-of-" + user);
        }
        assertThat(start(secrets).exit).isZero();
        List<String> rendered = Files.readAllLines(tmp.resolve("auth.conf"));
        List<String> expected = Repo.read(USERS).lines().filter(line -> !line.isBlank() && !line.startsWith("#"))
                .map(line -> line + " >pw-of-" + line.split(" ")[1]).toList();
        assertThat(rendered).containsExactlyElementsOf(expected);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("auth.conf")))).isEqualTo("rw-------");

        Files.delete(secrets.resolve("gateway"));
        Result missing = start(secrets);
        assertThat(missing.exit).isNotZero();
        assertThat(missing.output).contains("no password for Redis user gateway").doesNotContain("pw-of-");
    }

    record Result(int exit, String output) {
    }

    /** The Deployment's own start command, with the paths moved into the test's folder and redis-server replaced. */
    private Result start(Path secrets) throws IOException, InterruptedException {
        Pod pod = Rendered.overlay("dev").pod("Deployment", "redis");
        JsonNode redis = pod.containers().filter(c -> c.path("name").asText().equals("redis")).findFirst().orElseThrow();
        List<String> command = Rendered.stream(redis.path("command")).map(JsonNode::asText).toList();
        assertThat(command.subList(0, 2)).containsExactly("sh", "-c");
        assertThat(command.get(2)).contains("exec redis-server /etc/redis/redis.conf");
        String script = command.get(2)
                .replace("/etc/redis/users.acl", USERS.toString())
                .replace("/run/secrets/redis", secrets.toString())
                .replace("/run/redis/auth.conf", tmp.resolve("auth.conf").toString())
                .replace("exec redis-server /etc/redis/redis.conf", "true");
        Process process = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    /** users.acl as user name to rules, in file order. */
    static Map<String, String> users() {
        return Repo.read(USERS).lines().filter(line -> !line.isBlank() && !line.startsWith("#"))
                .map(line -> line.split(" ", 3))
                .peek(words -> assertThat(words[0]).isEqualTo("user"))
                .collect(Collectors.toMap(words -> words[1], words -> words[2] + " ", (a, b) -> a, java.util.LinkedHashMap::new));
    }

    private static List<String> commands(String rules) {
        return Arrays.stream(rules.split(" ")).filter(rule -> rule.startsWith("+")).map(rule -> rule.substring(1)).toList();
    }

    private static List<String> keys(String rules) {
        return Arrays.stream(rules.split(" ")).filter(rule -> rule.startsWith("~")).map(rule -> rule.substring(1)).toList();
    }
}
