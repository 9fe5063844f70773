package dev.suite.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Issue 17, item 7, as rendered: no plaintext between the suite's pods. The URLs every caller uses for the auth and
 * user services are https, their hosts are names in the cert-manager Certificate each service serves, every service
 * pod mounts its own certificate secret (and so the internal CA) where its %prod configuration reads it, and the CA
 * callers trust is that secret's, not the JVM's. Redis likewise: TLS only, its own certificate, clients that check it.
 */
class InternalTlsTest {

    static final List<String> OVERLAYS = Rendered.OVERLAYS;
    private static final Map<String, String> URL_OF = Map.of("auth-service", "SUITE_AUTH_URL", "user-service", "SUITE_USER_URL");

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void everyUpstreamUrlIsHttpsForAHostItsCertificateNames(String overlay) {
        Rendered r = Rendered.overlay(overlay);
        JsonNode config = r.configMap("suite-config").path("data");
        for (Map.Entry<String, String> service : URL_OF.entrySet()) {
            URI url = URI.create(config.path(service.getValue()).asText());
            assertThat(url.getScheme()).as(overlay + ": " + service.getValue()).isEqualTo("https");
            JsonNode certificate = r.one("Certificate", service.getKey() + "-tls");
            assertThat(Rendered.stream(certificate.path("spec").path("dnsNames")).map(JsonNode::asText))
                    .as(overlay + ": names in " + service.getKey() + "'s certificate").contains(url.getHost());
            assertThat(certificate.path("spec").path("issuerRef").path("name").asText()).isEqualTo("suite-internal-ca");
            assertThat(certificate.path("spec").path("secretName").asText()).isEqualTo(service.getKey() + "-tls");
        }
        assertThat(config.path("SUITE_TLS_CA_FILE").asText()).isEqualTo("/etc/suite-tls/ca.crt");
        assertThat(r.one("Issuer", "suite-internal-ca").path("spec").path("ca").path("secretName").asText()).isEqualTo("suite-internal-ca");
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void everyServicePodMountsItsOwnCertificateWhereItsConfigurationReadsIt(String overlay) {
        Rendered r = Rendered.overlay(overlay);
        for (String service : Rendered.SERVICES) {
            assertMountsItsOwnCertificate(r, overlay, service);
        }
        for (String service : URL_OF.keySet()) {
            List<String> lines = Repo.configurationOf(service).stream().flatMap(file -> Repo.read(file).lines()).map(String::trim).toList();
            assertThat(lines).as(service + " serves its API over TLS only in %prod, with the mounted certificate").contains(
                    "%dev,prod.quarkus.http.ssl.certificate.files=${suite.tls.cert-file}",
                    "%dev,prod.quarkus.http.ssl.certificate.key-files=${suite.tls.key-file}",
                    "%dev,prod.quarkus.http.insecure-requests=disabled",
                    // The paths' %prod defaults are where the volume above is mounted (make run-prod points elsewhere).
                    "%prod,migrate.suite.tls.cert-file=/etc/suite-tls/tls.crt",
                    "%prod,migrate.suite.tls.key-file=/etc/suite-tls/tls.key",
                    "%prod,migrate.suite.tls.ca-file=/etc/suite-tls/ca.crt");
        }
    }

    /**
     * Redis: no plaintext listener, a certificate for the very name the services dial, mounted where redis.conf reads
     * it; every service connects with rediss, trusting the suite CA alone and checking that name.
     */
    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void redisServesTlsOnlyUnderACertificateForTheNameTheServicesDial(String overlay) {
        Rendered r = Rendered.overlay(overlay);
        JsonNode config = r.configMap("suite-config").path("data");
        String conf = r.configMap("redis-config").path("data").path("redis.conf").asText();
        assertThat(conf).as(overlay + ": redis.conf").containsPattern("(?m)^port 0$")
                .containsPattern("(?m)^tls-port " + config.path("SUITE_REDIS_PORT").asText() + "$")
                .containsPattern("(?m)^tls-cert-file /etc/suite-tls/tls.crt$").containsPattern("(?m)^tls-key-file /etc/suite-tls/tls.key$");
        JsonNode certificate = r.one("Certificate", "redis-tls");
        assertThat(Rendered.stream(certificate.path("spec").path("dnsNames")).map(JsonNode::asText))
                .as(overlay + ": names in Redis's certificate").containsAll(redisNamesDialled(r));
        assertThat(certificate.path("spec").path("issuerRef").path("name").asText()).isEqualTo("suite-internal-ca");
        if (r.find("Deployment", "redis").isPresent()) {
            assertMountsItsOwnCertificate(r, overlay, "Deployment", "redis", "redis");
        } else {
            assertMountsItsOwnCertificate(r, overlay, "StatefulSet", "redis", "redis");
            assertMountsItsOwnCertificate(r, overlay, "StatefulSet", "redis-sentinel", "redis");
        }
        for (String service : Rendered.SERVICES) {
            List<String> lines = Repo.configurationOf(service).stream().flatMap(file -> Repo.read(file).lines()).map(String::trim).toList();
            assertThat(lines).as(service + " reaches Redis over TLS only, trusting the suite CA and checking the name").contains(
                    "%prod,migrate.quarkus.redis.hosts=rediss://${suite.redis.host}:${suite.redis.port}?user=${quarkus.application.name}",
                    "%dev,test,prod.quarkus.redis.tls-configuration-name=suite-internal",
                    "%dev,test,prod.quarkus.tls.suite-internal.trust-store.pem.certs=${suite.tls.ca-file}",
                    "%dev,test,prod.quarkus.tls.suite-internal.hostname-verification-algorithm=HTTPS");
            assertThat(lines).as(service).noneMatch(line -> line.contains("redis.hosts=redis://"));
        }
    }

    /**
     * The migration Jobs (QUARKUS_PROFILE=migrate) mount no certificate secret, so no setting that makes a service read
     * a TLS file at start (the TLS registry's trust stores, the API and management ports' certificates) may apply in
     * %migrate: such a Job would stop at start and no upgrade would ever migrate.
     */
    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void theMigrationJobsReadNoCertificateFileTheyDoNotMount(String overlay) {
        Rendered r = Rendered.overlay(overlay);
        for (Map.Entry<String, String> service : Map.of("auth-service", "auth-migrations", "user-service", "users-migrations").entrySet()) {
            Rendered.Pod job = r.pod("Job", service.getValue());
            assertThat(Rendered.stream(job.spec().path("volumes")).map(v -> v.path("name").asText())).doesNotContain("suite-tls");
            JsonNode profile = job.containers().flatMap(c -> Rendered.stream(c.path("env")))
                    .filter(e -> e.path("name").asText().equals("QUARKUS_PROFILE")).findFirst().orElseThrow();
            assertThat(profile.path("value").asText()).isEqualTo("migrate");
            List<String> readAtStart = Repo.configurationOf(service.getKey()).stream().flatMap(file -> Repo.read(file).lines()).map(String::trim)
                    .filter(line -> !line.startsWith("#"))
                    .filter(line -> line.matches("(%[a-z,]+\\.)?quarkus\\.(tls\\.|redis\\.tls-configuration-name|http\\.ssl\\.|management\\.ssl\\.).*"))
                    .toList();
            assertThat(readAtStart).as(service.getKey()).isNotEmpty().allSatisfy(line -> assertThat(line).as(service.getKey())
                    .startsWith("%").doesNotMatch("%[a-z,]*migrate[a-z,]*\\..*"));
        }
    }

    /** The workload mounts its own certificate secret ({@code NAME-tls}) read-only at /etc/suite-tls. */
    /**
     * The Redis host names a service connects to: SUITE_REDIS_HOST, or behind Sentinels (prod) every Sentinel of
     * QUARKUS_REDIS_HOSTS and every data server they may name as the primary (its announced stable name).
     */
    static List<String> redisNamesDialled(Rendered r) {
        JsonNode config = r.configMap("suite-config").path("data");
        if (!config.has("QUARKUS_REDIS_HOSTS")) {
            return List.of(config.path("SUITE_REDIS_HOST").asText());
        }
        List<String> names = new java.util.ArrayList<>();
        for (String address : config.path("QUARKUS_REDIS_HOSTS").asText().split(",")) {
            names.add(address.replaceFirst("^rediss://[^@]*@", "").replaceFirst(":\\d+$", ""));
        }
        int nodes = r.one("StatefulSet", "redis").path("spec").path("replicas").asInt();
        String headless = r.one("StatefulSet", "redis").path("spec").path("serviceName").asText();
        for (int i = 0; i < nodes; i++) {
            names.add("redis-" + i + "." + headless + ".suite.svc");
        }
        return names;
    }

    private static void assertMountsItsOwnCertificate(Rendered r, String overlay, String workload) {
        assertMountsItsOwnCertificate(r, overlay, "Deployment", workload, workload);
    }

    private static void assertMountsItsOwnCertificate(Rendered r, String overlay, String kind, String workload, String certificate) {
        Rendered.Pod pod = r.pod(kind, workload);
        JsonNode volume = Rendered.stream(pod.spec().path("volumes")).filter(v -> v.path("name").asText().equals("suite-tls"))
                .findFirst().orElseThrow(() -> new AssertionError(overlay + ": " + workload + " has no suite-tls volume"));
        assertThat(volume.path("secret").path("secretName").asText()).as(workload).isEqualTo(certificate + "-tls");
        JsonNode mount = pod.containers().flatMap(c -> Rendered.stream(c.path("volumeMounts")))
                .filter(m -> m.path("name").asText().equals("suite-tls")).findFirst().orElseThrow();
        assertThat(mount.path("mountPath").asText()).isEqualTo("/etc/suite-tls");
        assertThat(mount.path("readOnly").asBoolean()).isTrue();
    }
}
