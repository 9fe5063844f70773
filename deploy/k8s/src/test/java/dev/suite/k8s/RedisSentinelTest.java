package dev.suite.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.suite.k8s.Rendered.Pod;
import dev.suite.localstack.LocalSentinelRules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 25: the prod overlay's Redis is a primary with two replicas and three Sentinels, with the base's TLS, ACL users
 * and eviction rule, disruption budgets and one pod per node; the services find the primary through the Sentinels as
 * their own users, which may ask nothing else there, and the auth service waits for a replica per revocation. The
 * start scripts run here against stand-in redis-cli and redis-server commands; no Kubernetes or Redis runs them.
 */
class RedisSentinelTest {

    static final List<String> WORKLOADS = List.of("redis", "redis-sentinel");

    @TempDir
    Path tmp;

    static Rendered prod() {
        return Rendered.overlay("prod");
    }

    // --- replicas, Sentinels, disruption budgets, spread -------------------------------------------------------------

    /** What keeps the group up through a node's loss or a drain, for the rendered objects given. */
    static List<String> availabilityProblems(List<JsonNode> objects) {
        List<String> problems = new ArrayList<>();
        for (String name : WORKLOADS) {
            JsonNode set = objects.stream().filter(o -> o.path("kind").asText().equals("StatefulSet")
                    && o.path("metadata").path("name").asText().equals(name)).findFirst().orElse(null);
            if (set == null) {
                problems.add("no StatefulSet " + name);
                continue;
            }
            int replicas = set.path("spec").path("replicas").asInt(1);
            if (replicas < 3) {
                problems.add(name + ": " + replicas + " pods (a primary and two replicas; three Sentinels for a quorum of two)");
            }
            JsonNode labels = set.path("spec").path("template").path("metadata").path("labels");
            JsonNode anti = set.path("spec").path("template").path("spec").path("affinity").path("podAntiAffinity")
                    .path("requiredDuringSchedulingIgnoredDuringExecution");
            boolean spread = Rendered.stream(anti).anyMatch(term -> term.path("topologyKey").asText().equals("kubernetes.io/hostname")
                    && selects(term.path("labelSelector"), labels));
            if (!spread) {
                problems.add(name + ": two pods may share a node");
            }
            List<JsonNode> budgets = objects.stream().filter(o -> o.path("kind").asText().equals("PodDisruptionBudget")
                    && selects(o.path("spec").path("selector"), labels)).toList();
            if (budgets.isEmpty()) {
                problems.add(name + ": no PodDisruptionBudget, a drain may take every pod at once");
            }
            for (JsonNode budget : budgets) {
                JsonNode spec = budget.path("spec");
                int mayGo = spec.has("maxUnavailable") ? spec.path("maxUnavailable").asInt() : replicas - spec.path("minAvailable").asInt();
                if (mayGo != 1) {
                    problems.add(name + ": a drain may take " + mayGo + " pods at once (quorum and a replica need all but one)");
                }
            }
        }
        return problems;
    }

    private static boolean selects(JsonNode selector, JsonNode labels) {
        Map<String, String> podLabels = new LinkedHashMap<>();
        labels.fields().forEachRemaining(e -> podLabels.put(e.getKey(), e.getValue().asText()));
        return !selector.path("matchLabels").isEmpty() && NetworkPolicyTest.selects(selector, podLabels);
    }

    @Test
    void aPrimaryTwoReplicasAndThreeSentinelsEachOnItsOwnNodeAndDrainedOneAtATime() {
        List<JsonNode> objects = prod().objects;
        assertThat(availabilityProblems(objects)).isEmpty();
        assertThat(prod().find("Deployment", "redis")).as("prod: the base's single Redis is gone").isEmpty();
        assertThat(Rendered.overlay("dev").find("Deployment", "redis")).as("dev keeps it").isPresent();

        assertThat(availabilityProblems(without(objects, "PodDisruptionBudget", "redis"))).as("the attack: a Redis without a PDB").isNotEmpty();
        assertThat(availabilityProblems(changed(objects, "PodDisruptionBudget", "redis-sentinel", o -> o.with("spec").put("maxUnavailable", 2))))
                .as("the attack: a drain takes two Sentinels, no quorum left").isNotEmpty();
        assertThat(availabilityProblems(changed(objects, "StatefulSet", "redis", o -> o.with("spec").put("replicas", 2))))
                .as("the attack: one replica").isNotEmpty();
        assertThat(availabilityProblems(changed(objects, "StatefulSet", "redis-sentinel",
                o -> o.with("spec").with("template").with("spec").remove("affinity")))).as("the attack: Sentinels on one node").isNotEmpty();
    }

    static List<JsonNode> without(List<JsonNode> objects, String kind, String name) {
        return objects.stream().filter(o -> !(o.path("kind").asText().equals(kind) && o.path("metadata").path("name").asText().equals(name))).toList();
    }

    static List<JsonNode> changed(List<JsonNode> objects, String kind, String name, java.util.function.Consumer<ObjectNode> change) {
        List<JsonNode> copy = new ArrayList<>();
        for (JsonNode o : objects) {
            if (o.path("kind").asText().equals(kind) && o.path("metadata").path("name").asText().equals(name)) {
                ObjectNode changedCopy = o.deepCopy();
                change.accept(changedCopy);
                copy.add(changedCopy);
            } else {
                copy.add(o);
            }
        }
        return copy;
    }

    // --- TLS and the base's configuration ----------------------------------------------------------------------------

    @Test
    void theDataServersRunTheBasesRedisConfAndEverythingSpeaksTlsOnly() {
        Rendered r = prod();
        JsonNode ha = r.configMap("redis-ha").path("data");
        assertThat(ha.path("node.conf").asText()).containsPattern("(?m)^include /etc/redis/redis.conf$")
                .containsPattern("(?m)^tls-replication yes$").containsPattern("(?m)^include /run/redis/replication.conf$")
                .doesNotContainPattern("(?m)^\\s*(port [1-9]|requirepass|maxmemory-policy|appendonly no|save )");
        assertThat(ha.path("sentinel.conf").asText()).containsPattern("(?m)^port 0$").containsPattern("(?m)^tls-port 26379$")
                .containsPattern("(?m)^tls-replication yes$").containsPattern("(?m)^tls-cert-file /etc/suite-tls/tls.crt$")
                .containsPattern("(?m)^sentinel announce-hostnames yes$").doesNotContainPattern("(?m)^\\s*requirepass");
        for (String workload : WORKLOADS) {
            Pod pod = r.pod("StatefulSet", workload);
            JsonNode container = pod.containers().findFirst().orElseThrow();
            assertThat(mount(container, "config")).as(workload + ": the base's redis.conf and users.acl").isEqualTo("/etc/redis");
            assertThat(mount(container, "redis-ha")).isEqualTo("/etc/redis-ha");
            assertThat(mount(container, "suite-tls")).isEqualTo("/etc/suite-tls");
            assertThat(Rendered.stream(pod.spec().path("volumes")).filter(v -> v.path("name").asText().equals("suite-tls"))
                    .findFirst().orElseThrow().path("secret").path("secretName").asText()).isEqualTo("redis-tls");
        }
        // What holds a password lives in memory only.
        for (String[] volume : new String[][] {{"redis", "auth"}, {"redis-sentinel", "sentinel-conf"}}) {
            JsonNode v = Rendered.stream(r.pod("StatefulSet", volume[0]).spec().path("volumes"))
                    .filter(x -> x.path("name").asText().equals(volume[1])).findFirst().orElseThrow();
            assertThat(v.path("emptyDir").path("medium").asText()).as(volume[0] + "/" + volume[1]).isEqualTo("Memory");
        }
    }

    private static String mount(JsonNode container, String volume) {
        return Rendered.stream(container.path("volumeMounts")).filter(m -> m.path("name").asText().equals(volume))
                .map(m -> m.path("mountPath").asText()).findFirst().orElse(null);
    }

    // --- the Sentinels' users ----------------------------------------------------------------------------------------

    static List<String> sentinelUserProblems(String sentinelUsers) {
        Map<String, String> users = new LinkedHashMap<>();
        sentinelUsers.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).map(l -> l.split(" ", 3)).forEach(w -> users.put(w[1], w[2]));
        List<String> problems = new ArrayList<>();
        if (!users.keySet().equals(RedisConfigTest.users().keySet())) {
            problems.add("not the users of users.acl: " + users.keySet());
        }
        users.forEach((user, rules) -> {
            String expected = user.equals("default") ? RedisConfigTest.users().get("default").strip()
                    : "on " + LocalSentinelRules.serviceRules();
            if (!rules.strip().equals(expected)) {
                problems.add(user + " may do on a Sentinel '" + rules + "', the local stack's Sentinels allow '" + expected + "'");
            }
        });
        return problems;
    }

    @Test
    void eachServiceMayOnlyAskTheSentinelsWhereThePrimaryIsAsTheLocalStacksSentinelsAllow() {
        String acl = prod().configMap("redis-ha").path("data").path("sentinel-users.acl").asText();
        assertThat(acl).isEqualTo(Repo.read(Repo.K8S.resolve("overlays/prod/redis/sentinel-users.acl")));
        assertThat(sentinelUserProblems(acl)).isEmpty();
        assertThat(sentinelUserProblems(acl.replaceFirst("(user gateway on .*)", "$1 +sentinel|failover")))
                .as("the attack: a leaked gateway password forces a failover").isNotEmpty();
        assertThat(sentinelUserProblems(acl.replaceFirst("(user user-service on .*)", "$1 +sentinel|set")))
                .as("the attack: a service re-points the group").isNotEmpty();
        assertThat(sentinelUserProblems(acl + "user stray on ~* +@all\n")).as("the attack: a user the local stack has not").isNotEmpty();
    }

    // --- the services' configuration ---------------------------------------------------------------------------------

    static List<String> clientProblems(JsonNode config, JsonNode authServiceEnv, int sentinels, String masterName) {
        List<String> problems = new ArrayList<>();
        if (!config.path("QUARKUS_REDIS_CLIENT_TYPE").asText().equals("sentinel")) {
            problems.add("the services do not ask the Sentinels: " + config.path("QUARKUS_REDIS_CLIENT_TYPE"));
        }
        if (!config.path("QUARKUS_REDIS_MASTER_NAME").asText().equals(masterName)) {
            problems.add("master name " + config.path("QUARKUS_REDIS_MASTER_NAME") + ", the Sentinels watch " + masterName);
        }
        if (!config.path("QUARKUS_REDIS_ROLE").asText("master").equals("master")) {
            problems.add("the services would talk to a replica: " + config.path("QUARKUS_REDIS_ROLE"));
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < sentinels; i++) {
            expected.add("rediss://${quarkus.application.name}:${redis-password}@redis-sentinel-" + i + ".redis-sentinel.suite.svc:26379");
        }
        if (!List.of(config.path("QUARKUS_REDIS_HOSTS").asText().split(",")).equals(expected)) {
            problems.add("QUARKUS_REDIS_HOSTS is not every Sentinel over TLS with the service's own user and Vault password: "
                    + config.path("QUARKUS_REDIS_HOSTS"));
        }
        String replicas = Rendered.stream(authServiceEnv).filter(e -> e.path("name").asText().equals("TOKEN_GUARD_REVOCATION_REPLICAS"))
                .map(e -> e.path("value").asText()).findFirst().orElse("0");
        if (Integer.parseInt(replicas) < 1) {
            problems.add("a revocation acknowledged before a replica holds it: lost in a failover");
        }
        return problems;
    }

    @Test
    void theServicesFindThePrimaryThroughTheSentinelsAndTheAuthServiceWaitsForAReplica() {
        Rendered r = prod();
        JsonNode config = r.configMap("suite-config").path("data");
        JsonNode authEnv = r.pod("Deployment", "auth-service").containers().findFirst().orElseThrow().path("env");
        int sentinels = r.one("StatefulSet", "redis-sentinel").path("spec").path("replicas").asInt();
        String masterName = monitoredName(r);
        assertThat(masterName).isEqualTo(LocalSentinelRules.masterName());
        assertThat(clientProblems(config, authEnv, sentinels, masterName)).isEmpty();
        // The expressions in QUARKUS_REDIS_HOSTS name what each service has: its name, and its Vault secret redis-password.
        for (String service : Rendered.SERVICES) {
            assertThat(Repo.property(service, "", "quarkus.application.name")).isEqualTo(service);
            assertThat(Repo.property(service, "prod", "quarkus.redis.password")).isEqualTo("${redis-password}");
            if (!service.equals("auth-service")) {
                assertThat(Rendered.env(r.pod("Deployment", service).containers().findFirst().orElseThrow(), "TOKEN_GUARD_REVOCATION_REPLICAS"))
                        .as(service + " writes no revocation").isNull();
            }
        }
        int replicas = r.one("StatefulSet", "redis").path("spec").path("replicas").asInt() - 1;
        assertThat(replicas).as("replicas the auth service can wait for").isGreaterThanOrEqualTo(1);

        ObjectNode single = config.deepCopy();
        single.remove("QUARKUS_REDIS_CLIENT_TYPE");
        assertThat(clientProblems(single, authEnv, sentinels, masterName)).as("the attack: straight to one Redis, as in dev").isNotEmpty();
        ObjectNode shared = config.deepCopy();
        shared.put("QUARKUS_REDIS_HOSTS", config.path("QUARKUS_REDIS_HOSTS").asText().replace("${quarkus.application.name}", "default"));
        assertThat(clientProblems(shared, authEnv, sentinels, masterName)).as("the attack: every service as the operator").isNotEmpty();
        assertThat(clientProblems(config, com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode(), sentinels, masterName))
                .as("the attack: revocations acknowledged by the primary alone").isNotEmpty();
        assertThat(Rendered.overlay("dev").configMap("suite-config").path("data").has("QUARKUS_REDIS_CLIENT_TYPE")).as("dev: one Redis").isFalse();
    }

    private static String monitoredName(Rendered r) {
        Matcher m = Pattern.compile("sentinel monitor (\\S+) \\S+ 6379 (\\d+)").matcher(r.configMap("redis-ha").path("data").path("start-sentinel.sh").asText());
        assertThat(m.find()).isTrue();
        int sentinels = r.one("StatefulSet", "redis-sentinel").path("spec").path("replicas").asInt();
        assertThat(Integer.parseInt(m.group(2))).as("quorum: a majority of the Sentinels").isEqualTo(sentinels / 2 + 1);
        return m.group(1);
    }

    // --- the start scripts, against stand-in commands ----------------------------------------------------------------

    RedisHaScripts scripts;

    @BeforeEach
    void standIns() throws IOException {
        scripts = new RedisHaScripts(tmp);
    }

    RedisHaScripts.Started start(String script, String hostname, Map<String, String> fakes) throws IOException, InterruptedException {
        return scripts.start(script, hostname, fakes);
    }

    String replication() throws IOException {
        return Files.readString(scripts.run.resolve("replication.conf"));
    }

    @Test
    void aDataServerFollowsThePrimaryTheGroupKnowsAndRedis0StartsAsPrimaryOnlyWhenNoneIsKnown() throws Exception {
        RedisHaScripts.Started first = start("start-node.sh", "redis-0", Map.of());
        assertThat(first.exit()).as(first.output()).isZero();
        assertThat(replication()).contains("replica-announce-ip redis-0.redis-nodes.suite.svc", "masteruser default",
                "masterauth pw-of-default").doesNotContain("replicaof");
        assertThat(first.calls()).contains("redis-server " + scripts.ha.resolve("node.conf"));

        assertThat(start("start-node.sh", "redis-1", Map.of()).exit()).isZero();
        assertThat(replication()).contains("replicaof redis-0.redis-nodes.suite.svc 6379");

        // After a failover redis-2 is the primary: the former primary, restarted, must not come back as a second one.
        assertThat(start("start-node.sh", "redis-0", Map.of("FAKE_SENTINEL_SAYS", "redis-2.redis-nodes.suite.svc")).exit()).isZero();
        assertThat(replication()).contains("replicaof redis-2.redis-nodes.suite.svc 6379");
        // The Sentinels restarted too and know nothing yet: the server that says it is the primary wins.
        RedisHaScripts.Started asked = start("start-node.sh", "redis-0", Map.of("FAKE_PRIMARY_SAYS", "redis-1.redis-nodes.suite.svc"));
        assertThat(replication()).contains("replicaof redis-1.redis-nodes.suite.svc 6379");
        assertThat(asked.calls()).contains("--tls --cacert /etc/suite-tls/ca.crt --user default").contains("auth=env")
                .as("the operator's password never on a command line").doesNotContain("pw-of-");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(scripts.run.resolve("replication.conf")))).isEqualTo("rw-------");
        assertThat(Files.readString(scripts.run.resolve("auth.conf"))).contains("user gateway on ", ">pw-of-gateway");
    }

    @Test
    void aSentinelWatchesThePrimaryTheGroupKnowsAndLetsEachUserInWithItsOwnPassword() throws Exception {
        RedisHaScripts.Started sentinel = start("start-sentinel.sh", "redis-sentinel-1", Map.of("FAKE_SENTINEL_SAYS", "redis-2.redis-nodes.suite.svc"));
        assertThat(sentinel.exit()).as(sentinel.output()).isZero();
        String conf = Files.readString(scripts.run.resolve("sentinel.conf"));
        assertThat(conf).contains("sentinel monitor suite redis-2.redis-nodes.suite.svc 6379 2",
                "sentinel announce-ip redis-sentinel-1.redis-sentinel.suite.svc", "sentinel auth-user suite default",
                "sentinel auth-pass suite pw-of-default", "sentinel sentinel-user default", "tls-port 26379");
        for (String user : RedisConfigTest.users().keySet()) {
            assertThat(conf).containsPattern("(?m)^user " + user + " on .* >pw-of-" + user + "$");
        }
        assertThat(sentinel.calls()).as("never asks itself").doesNotContain("-h redis-sentinel-1.redis-sentinel.suite.svc")
                .contains("redis-server " + scripts.run.resolve("sentinel.conf") + " --sentinel").doesNotContain("pw-of-");
        assertThat(start("start-sentinel.sh", "redis-sentinel-0", Map.of()).exit()).isZero();
        assertThat(Files.readString(scripts.run.resolve("sentinel.conf"))).as("the very first start").contains("sentinel monitor suite redis-0.redis-nodes.suite.svc 6379 2");

        Files.delete(scripts.secrets.resolve("user-service"));
        RedisHaScripts.Started missing = start("start-sentinel.sh", "redis-sentinel-0", Map.of());
        assertThat(missing.exit()).as("a user without a password stops the start").isNotZero();
        assertThat(missing.output()).contains("no password for Redis user user-service");
        assertThat(missing.calls()).doesNotContain("redis-server");
    }
}
