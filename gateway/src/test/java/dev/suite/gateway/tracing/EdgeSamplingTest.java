package dev.suite.gateway.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.suite.fixtures.TestServices;
import dev.suite.gateway.tracing.TracePropagationTest.Browser;
import dev.suite.gateway.tracing.TracePropagationTest.Traceparent;
import dev.suite.launcher.SuiteTopology;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;

/**
 * The attack: a client marks its traceparent sampled to make every service behind the gateway record (and export) its
 * requests. With the gateway tracing none (suite.tracing.ratio=0), the real auth service behind it does not sample the
 * client's trace either; the trace id still reaches its log.
 */
@QuarkusTest
@TestProfile(EdgeSamplingTest.NothingTraced.class)
@QuarkusTestResource(value = TestServices.class, initArgs = @ResourceArg(name = "with-user-service", value = "true"))
class EdgeSamplingTest {

    public static class NothingTraced implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("suite.tracing.ratio", "0");
        }
    }

    @Test
    void aClientsSampledFlagDoesNotMakeTheServicesTrace() {
        Browser mallory = Browser.registered();
        Traceparent sent = Traceparent.random("01");
        mallory.login(sent);
        JsonObject mdc = ServiceLog.auditRecord(SuiteTopology.AUTH, "LOGIN_SUCCEEDED", "traceId", sent.traceId());
        assertThat(mdc.getString("sampled")).isEqualTo("false");
    }
}
