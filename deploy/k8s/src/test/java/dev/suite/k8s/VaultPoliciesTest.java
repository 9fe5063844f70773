package dev.suite.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** deploy/vault/policies: each workload reads its own paths and nothing else. */
class VaultPoliciesTest {

    /** policy (= Vault role = ServiceAccount) -> the only paths it may read. */
    static final Map<String, List<String>> EXPECTED = Map.of(
            "auth-service", List.of("secret/data/suite/auth-service", "database/creds/auth-app"),
            "user-service", List.of("secret/data/suite/user-service", "database/creds/users-app"),
            "gateway", List.of("secret/data/suite/gateway"),
            "auth-migrations", List.of("secret/data/suite/migrations/auth"),
            "users-migrations", List.of("secret/data/suite/migrations/users"));

    static final Pattern BLOCK = Pattern.compile("path\\s+\"([^\"]+)\"\\s*\\{\\s*capabilities\\s*=\\s*\\[([^]]*)]\\s*}");

    @Test
    void eachPolicyGrantsReadOnItsOwnPathsOnly() throws IOException {
        Map<String, Map<String, List<String>>> policies = policies();
        assertThat(policies.keySet()).containsExactlyInAnyOrderElementsOf(EXPECTED.keySet());
        EXPECTED.forEach((policy, paths) -> {
            assertThat(policies.get(policy).keySet()).as(policy).containsExactlyInAnyOrderElementsOf(paths);
            policies.get(policy).forEach((path, capabilities) ->
                    assertThat(capabilities).as(policy + " on " + path).containsExactly("read"));
        });
    }

    @Test
    void noPathIsSharedOrWildcarded() throws IOException {
        Map<String, String> owner = new LinkedHashMap<>();
        policies().forEach((policy, paths) -> paths.keySet().forEach(path -> {
            assertThat(path).as(policy).doesNotContain("*").doesNotContain("+");
            assertThat(owner.put(path, policy)).as(path + " granted to " + policy + " and " + owner.get(path)).isNull();
        }));
    }

    @Test
    void everyVaultClientOfTheManifestsHasItsPolicy() {
        for (String overlay : Rendered.OVERLAYS) {
            Rendered.overlay(overlay).pods().stream()
                    .map(pod -> pod.containers().findFirst().map(c -> Rendered.env(c, "QUARKUS_VAULT_AUTHENTICATION_KUBERNETES_ROLE")).orElse(null))
                    .filter(role -> role != null)
                    .forEach(role -> assertThat(EXPECTED).as(overlay).containsKey(role));
        }
        assertThat(Rendered.VAULT_CLIENTS).containsExactlyInAnyOrderElementsOf(EXPECTED.keySet());
    }

    /** Parsed policy files: name -> (path -> capabilities). Anything but comments and path blocks fails. */
    static Map<String, Map<String, List<String>>> policies() throws IOException {
        Map<String, Map<String, List<String>>> policies = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(Repo.VAULT.resolve("policies"))) {
            for (Path file : files.sorted().toList()) {
                assertThat(file.getFileName().toString()).endsWith(".hcl");
                String text = Repo.read(file).replaceAll("(?m)#.*$", "");
                Map<String, List<String>> paths = new LinkedHashMap<>();
                Matcher m = BLOCK.matcher(text);
                while (m.find()) {
                    List<String> capabilities = Pattern.compile("\"([^\"]+)\"").matcher(m.group(2)).results().map(r -> r.group(1)).toList();
                    assertThat(paths.put(m.group(1), capabilities)).as(file + ": " + m.group(1) + " twice").isNull();
                }
                assertThat(BLOCK.matcher(text).replaceAll("").strip()).as(file + " holds only path blocks").isEmpty();
                policies.put(file.getFileName().toString().replace(".hcl", ""), paths);
            }
        }
        return policies;
    }
}
