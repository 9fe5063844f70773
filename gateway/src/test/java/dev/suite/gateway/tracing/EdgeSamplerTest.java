package dev.suite.gateway.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.samplers.Sampler;

/**
 * What a client's traceparent can decide at the edge, with the real OpenTelemetry SDK and W3C propagator: the path
 * of a request through the gateway (the client's headers extracted, the gateway's server span, its call to a service
 * and the headers that call carries).
 */
class EdgeSamplerTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CLIENT_SPAN = "00f067aa0ba902b7";

    @Test
    void aClientsSampledFlagDoesNotForceTracing() {
        Map<String, String> forwarded = throughTheGateway(new EdgeSampler(0.0), "00-" + TRACE_ID + "-" + CLIENT_SPAN + "-01");
        assertThat(forwarded.get("traceparent")).startsWith("00-" + TRACE_ID + "-").endsWith("-00")
                .doesNotContain(CLIENT_SPAN);
    }

    @Test
    void aClientsUnsampledFlagDoesNotTurnTracingOff() {
        Map<String, String> forwarded = throughTheGateway(new EdgeSampler(1.0), "00-" + TRACE_ID + "-" + CLIENT_SPAN + "-00");
        assertThat(forwarded.get("traceparent")).startsWith("00-" + TRACE_ID + "-").endsWith("-01");
    }

    @Test
    void withoutATraceparentTheGatewayStartsATraceOfItsOwn() {
        Map<String, String> forwarded = throughTheGateway(new EdgeSampler(1.0), null);
        assertThat(forwarded.get("traceparent")).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01").doesNotContain(TRACE_ID);
    }

    /**
     * The stock ratio sampler decides by the trace id's low 64 bits, which the client writes: one that picks them all
     * zero is traced every time at any ratio. The gateway's draw does not look at the trace id.
     */
    @Test
    void aTraceIdChosenToPassTheRatioIsNotTracedMoreOften() {
        String chosen = "4bf92f3577b34da6" + "0000000000000000";
        int requests = 200;
        int stock = 0;
        int edge = 0;
        EdgeSampler edgeSampler = new EdgeSampler(0.01);
        for (int i = 0; i < requests; i++) {
            String traceparent = "00-" + chosen + "-" + spanId() + "-00";
            stock += throughTheGateway(Sampler.traceIdRatioBased(0.01), traceparent).get("traceparent").endsWith("-01") ? 1 : 0;
            edge += throughTheGateway(edgeSampler, traceparent).get("traceparent").endsWith("-01") ? 1 : 0;
        }
        assertThat(stock).as("the attack, against the stock sampler").isEqualTo(requests);
        // 1% of 200 is 2 on average; 20 or more has a probability below 1e-12.
        assertThat(edge).as("traced by the gateway's draw").isLessThan(20);
    }

    @Test
    void theClientsTraceStateStaysAtTheGateway() {
        Map<String, String> forwarded = throughTheGateway(new EdgeSampler(1.0), "00-" + TRACE_ID + "-" + CLIENT_SPAN + "-01",
                "tracestate", "vendor=smuggled,other=more");
        assertThat(forwarded).containsOnlyKeys("traceparent");
    }

    @Test
    void callsUnderTheGatewaysSpanFollowItsDecision() {
        for (double ratio : new double[] { 0.0, 1.0 }) {
            SdkTracerProvider provider = SdkTracerProvider.builder().setSampler(new EdgeSampler(ratio)).build();
            Tracer tracer = provider.get("test");
            Span server = tracer.spanBuilder("edge").setSpanKind(SpanKind.SERVER).startSpan();
            Span redis = tracer.spanBuilder("redis").setParent(Context.root().with(server)).setSpanKind(SpanKind.CLIENT).startSpan();
            assertThat(redis.getSpanContext().isSampled()).isEqualTo(server.getSpanContext().isSampled()).isEqualTo(ratio == 1.0);
            provider.close();
        }
    }

    @Test
    void aRatioOutsideZeroToOneIsRefusedAtStart() {
        for (double ratio : new double[] { -0.1, 1.5, Double.NaN }) {
            org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(() -> new EdgeSampler(ratio))
                    .withMessageContaining("suite.tracing.ratio");
        }
    }

    /** The headers the gateway's call to a service carries for a request with these headers from the client. */
    private static Map<String, String> throughTheGateway(Sampler sampler, String traceparent, String... moreHeaders) {
        Map<String, String> fromClient = new HashMap<>();
        if (traceparent != null) {
            fromClient.put("traceparent", traceparent);
        }
        for (int i = 0; i < moreHeaders.length; i += 2) {
            fromClient.put(moreHeaders[i], moreHeaders[i + 1]);
        }
        W3CTraceContextPropagator propagator = W3CTraceContextPropagator.getInstance();
        try (SdkTracerProvider provider = SdkTracerProvider.builder().setSampler(sampler).build()) {
            Tracer tracer = provider.get("test");
            Context extracted = propagator.extract(Context.root(), fromClient, MapGetter.INSTANCE);
            Span server = tracer.spanBuilder("POST /api/auth/login").setSpanKind(SpanKind.SERVER).setParent(extracted).startSpan();
            Span call = tracer.spanBuilder("POST").setSpanKind(SpanKind.CLIENT).setParent(Context.root().with(server)).startSpan();
            Map<String, String> forwarded = new HashMap<>();
            propagator.inject(Context.root().with(call), forwarded, Map::put);
            call.end();
            server.end();
            return forwarded;
        }
    }

    private static String spanId() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    private enum MapGetter implements TextMapGetter<Map<String, String>> {
        INSTANCE;

        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    }
}
