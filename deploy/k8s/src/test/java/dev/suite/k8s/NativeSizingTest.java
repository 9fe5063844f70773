package dev.suite.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Issue 18, item 3: native pods sized so that their numbers agree. Each executable's heap is bounded well inside the
 * container's memory limit; the auth service's hashing pool has one thread per CPU the pod is guaranteed and is given
 * exactly those CPUs; every executable is built for any CPU of its architecture. (No native executable runs here:
 * no GraalVM on these machines; make native-sources checks the -march in each native-image.args.)
 */
class NativeSizingTest {

    static final List<String> OVERLAYS = Rendered.OVERLAYS;
    /** Heap at most this share of the memory limit: the rest is thread stacks, Netty's buffers, the image heap. */
    private static final double HEAP_SHARE = 0.65;

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void everyExecutablesHeapIsBoundedInsideItsMemoryLimit(String overlay) {
        Rendered r = Rendered.overlay(overlay);
        for (String service : Rendered.SERVICES) {
            JsonNode app = r.pod("Deployment", service).containers().findFirst().orElseThrow();
            List<String> xmx = Rendered.stream(app.path("args")).map(JsonNode::asText).filter(a -> a.startsWith("-Xmx")).toList();
            assertThat(xmx).as(service + ": one heap bound (else 80% of the limit)").hasSize(1);
            long heap = bytes(xmx.get(0).substring(4));
            long limit = bytes(app.path("resources").path("limits").path("memory").asText());
            assertThat(heap).as(service + ": -Xmx within %.0f%% of the memory limit", HEAP_SHARE * 100).isLessThanOrEqualTo((long) (limit * HEAP_SHARE));
        }
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void theHashingPoolHasOneThreadPerGuaranteedCpu(String overlay) {
        JsonNode app = Rendered.overlay(overlay).pod("Deployment", "auth-service").containers().findFirst().orElseThrow();
        int threads = Integer.parseInt(Rendered.env(app, "AUTH_PASSWORD_POOL_THREADS"));
        double requested = cores(app.path("resources").path("requests").path("cpu").asText());
        double limit = cores(app.path("resources").path("limits").path("cpu").asText());
        assertThat(threads).as("at least two: one slow hash must not hold every login").isGreaterThanOrEqualTo(2);
        assertThat(requested).as("the CPUs the scheduler reserves = the hashing threads").isEqualTo(threads);
        assertThat(limit).as("and no throttling below them").isEqualTo(requested);
    }

    @org.junit.jupiter.api.Test
    void everyExecutableRunsOnAnyCpuOfItsArchitecture() {
        for (String service : Rendered.SERVICES) {
            assertThat(Repo.property(service, "prod", "quarkus.native.march")).as(service).isEqualTo("compatibility");
        }
    }

    private static double cores(String cpu) {
        return cpu.endsWith("m") ? Integer.parseInt(cpu.substring(0, cpu.length() - 1)) / 1000.0 : Double.parseDouble(cpu);
    }

    /** A Kubernetes quantity (Mi, Gi) or a JVM size (m, g), in bytes. */
    private static long bytes(String size) {
        Matcher m = Pattern.compile("(\\d+)(Ki|Mi|Gi|k|m|g)?").matcher(size);
        assertThat(m.matches()).as(size).isTrue();
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2) == null ? "" : m.group(2)) {
            case "Ki", "k" -> n << 10;
            case "Mi", "m" -> n << 20;
            case "Gi", "g" -> n << 30;
            default -> n;
        };
    }
}
