package dev.suite.service.tracing;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class TraceExportTlsTest {

    @Test
    void productionRefusesACollectorReachedInTheClear() {
        for (String plain : List.of("http://otel-collector.monitoring.svc:4317", "HTTP://collector:4317", "collector:4317")) {
            assertThatThrownBy(() -> TraceExportTls.refusePlainEndpointInProd(plain, List.of("prod")))
                    .as(plain).isInstanceOf(IllegalStateException.class).hasMessageContaining("SUITE_TRACING_ENDPOINT");
        }
    }

    @Test
    void productionTakesTlsOrNoExporterAndDevelopmentAnything() {
        assertThatCode(() -> {
            TraceExportTls.refusePlainEndpointInProd("https://otel-collector.monitoring.svc:4317", List.of("prod"));
            TraceExportTls.refusePlainEndpointInProd(" ", List.of("prod"));
            TraceExportTls.refusePlainEndpointInProd("http://localhost:4317", List.of("dev"));
        }).doesNotThrowAnyException();
    }
}
