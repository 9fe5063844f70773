package dev.suite.gateway.tracing;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;

/**
 * Which requests the suite traces, decided once, here at the edge. A {@code traceparent} from outside is kept as the
 * parent (a client that traces can find its request in ours), but nothing in it decides what tracing costs us: its
 * sampled flag is ignored, and so is its trace id, which the stock ratio sampler decides by (a client that picks trace
 * ids below the bound would be traced every time), so the draw is random. The client's {@code tracestate} is dropped:
 * it would otherwise ride on every call behind the gateway. Spans under one of the gateway's own (the calls to the
 * services, Redis) follow that decision, and so do the services behind it (parent-based): one trace, one decision.
 */
public final class EdgeSampler implements Sampler {

    private final double ratio;
    private final DoubleSupplier random;

    public EdgeSampler(double ratio) {
        this(ratio, () -> ThreadLocalRandom.current().nextDouble());
    }

    EdgeSampler(double ratio, DoubleSupplier random) {
        if (!(ratio >= 0 && ratio <= 1)) {
            throw new IllegalArgumentException("suite.tracing.ratio must be between 0 and 1, was " + ratio);
        }
        this.ratio = ratio;
        this.random = random;
    }

    @Override
    public SamplingResult shouldSample(Context parentContext, String traceId, String name, SpanKind spanKind, Attributes attributes,
            List<LinkData> parentLinks) {
        SpanContext parent = Span.fromContext(parentContext).getSpanContext();
        if (parent.isValid() && !parent.isRemote()) {
            return parent.isSampled() ? SamplingResult.recordAndSample() : SamplingResult.drop();
        }
        // No parent, or the client's: our own draw, and a trace state of our own (empty).
        boolean sampled = random.getAsDouble() < ratio;
        return new Decided(sampled ? SamplingDecision.RECORD_AND_SAMPLE : SamplingDecision.DROP);
    }

    @Override
    public String getDescription() {
        return "EdgeSampler{ratio=" + ratio + ", remote parent's flag, trace id and trace state ignored}";
    }

    private record Decided(SamplingDecision getDecision) implements SamplingResult {

        @Override
        public Attributes getAttributes() {
            return Attributes.empty();
        }

        @Override
        public TraceState getUpdatedTraceState(TraceState parentTraceState) {
            return TraceState.getDefault();
        }
    }
}
