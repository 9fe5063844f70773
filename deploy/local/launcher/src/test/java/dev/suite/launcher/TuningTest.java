package dev.suite.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.suite.localstack.SuiteRoot;

class TuningTest {

    @Test
    void productionTracingTracesTheShareTheBaseDeploymentTraces() throws IOException {
        Path kustomization = SuiteRoot.find().resolve("deploy/k8s/base/kustomization.yaml");
        List<String> ratios = Files.readAllLines(kustomization).stream().map(String::trim)
                .filter(line -> line.startsWith("- SUITE_TRACING_RATIO=")).map(line -> line.substring(line.indexOf('=') + 1))
                .toList();

        assertThat(ratios).as("SUITE_TRACING_RATIO in " + kustomization).hasSize(1);
        assertThat(Tuning.PRODUCTION_TRACING.environment()).containsExactly(Map.entry("SUITE_TRACING_RATIO", ratios.get(0)));
    }
}
