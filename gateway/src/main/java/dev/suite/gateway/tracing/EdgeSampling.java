package dev.suite.gateway.tracing;

import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.smallrye.config.ConfigMapping;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Hands the gateway's {@link EdgeSampler} to Quarkus's OpenTelemetry, in place of the configured stock sampler. */
@Singleton
public class EdgeSampling {

    /** The share of requests traced (SUITE_TRACING_RATIO in Kubernetes), the same key the services' root spans use. */
    @ConfigMapping(prefix = "suite.tracing")
    public interface TracingConfig {
        double ratio();
    }

    @Produces
    @Singleton
    Sampler edgeSampler(TracingConfig config) {
        return new EdgeSampler(config.ratio());
    }
}
